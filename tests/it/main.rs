//! End-to-end scenarios with real `mrc` processes and real SQLite files.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap in a test is a failed test

mod comments;
mod content;
mod crash_safety;
mod restore;
mod sync;
mod sync_resilience;
mod tls;
mod web;
