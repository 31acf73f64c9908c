//! Integration tests of the core against real SQLite files (one test binary, modules per area).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap in a test is a failed test

mod audit;
mod audit_signals;
mod audit_support;
mod comments;
mod content_messages;
mod convergence;
mod doctor_profile;
mod fixtures;
mod insights;
mod local_time;
mod master_import;
mod nfc_interop;
mod nfc_tap;
mod store_encryption;
mod store_open;
mod store_read;
mod store_wipe;
mod validation;
mod visits;
