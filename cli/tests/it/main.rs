//! The `mrc` binary driven as a user would: exit codes, stderr sentences, JSON output.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap in a test is a failed test

mod audit;
mod commands;
mod demo;
mod doctor;
mod encryption;
mod nfc;
mod server;
mod support;
mod validate;
