//! The exchanges of the sync protocol as plain functions over a [`crate::ServerStore`]: no HTTP in here, so the
//! contract suite runs them against every store.

mod comments;
mod direct;
mod fallback;
mod history;
mod limits;
mod merge;
mod pull;
mod sync;

use mrc_core::sync::wire::Hash;

pub use direct::Direct;
/// Extends the history's chain over a write transaction's new documents: every writer of the feed calls it (ADR 0023).
pub use history::extend as extend_history;
pub use limits::{check_pull, check_sync};
pub use pull::{pull, pull_cached, PAGE_MAX_BYTES, PAGE_MAX_DOCS};
pub use sync::{sync, sync_cached};

/// Heads for the wire.
pub(crate) fn to_wire(heads: &[[u8; 32]]) -> Vec<Hash> {
    heads.iter().map(|h| Hash::new(*h)).collect()
}

/// Heads from the wire, sorted like `VisitDoc::head_hashes`.
pub(crate) fn from_wire(heads: &[Hash]) -> Vec<[u8; 32]> {
    let mut out: Vec<[u8; 32]> = heads.iter().map(|h| h.into_array()).collect();
    out.sort();
    out
}
