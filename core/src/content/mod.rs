//! Material content on the device: after the metadata sync, download the files the catalog's current materials
//! need into a content directory, resumable and verified, and remove the files nothing current references.
//!
//! - [`transport`]: [`ContentTransport`], the ranged `GET` the app implements (a second trait beside the sync
//!   `Transport`, so existing transports and the FFI bindings are unchanged).
//! - [`plan`]: which material versions are current or upcoming, so which files are wanted.
//! - [`download`]: one file: `<sha256>.part`, resumed with `Range` from its length, verified, renamed.
//! - [`gc`]: removing files (and stale `.part` files) no wanted material references.
//! - [`fetch`]: [`Store::fetch_content`](crate::Store::fetch_content), the whole step, with progress and a report.
//!
//! The design is in `docs/adr/0013-material-content.md`.

mod download;
mod error;
mod fetch;
mod gc;
mod plan;
#[cfg(test)]
mod tests;
mod transport;

pub use error::{ContentError, ContentFailure, FailureReason};
pub use fetch::{ContentProgress, ContentReport, FetchOptions, DEFAULT_CHUNK_BYTES};
pub use transport::{ContentTransport, RangeReply};

/// The server path of a content file.
pub fn content_path(sha256: &str) -> String {
    format!("/v1/content/{sha256}")
}
