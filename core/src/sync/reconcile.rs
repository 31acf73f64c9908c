//! Reconciling with a server that lost what this device saw (ADR 0023): restored from an older copy, or replaced
//! by another database.
//!
//! The device's agreements ("the server has these heads of this visit") were made with a history the server no
//! longer holds, so none of them is trusted. Against the server's whole feed: a visit whose heads the server has
//! and the device holds agrees on them (what the device added since goes in the next push, as an increment); a
//! visit the server holds with changes the device lacks, or one it does not hold at all (of this device's rep), is
//! sent whole — the server merges it and answers with what the device lacks. Every engagement event goes again (the
//! server keeps one of each id), the master data and rule settings are taken again, and the feed starts over.

use std::collections::HashMap;

use rusqlite::Transaction;

use super::{
    state::{self, CURSOR_KEY, MASTER_VERSION_KEY, RULES_VERSION_KEY},
    wire::FeedEntry,
    SyncError,
};
use crate::visit::{self, DocCache};

/// Rebuilds the agreements of every local visit against `feed`, the server's whole feed for this device's scope.
/// `writer` is the rep whose visits this device may send (none for a manager's device, which sends only comments
/// on visits the server has). Returns how many visits will be sent again.
pub(super) fn reconcile(
    tx: &Transaction<'_>,
    docs: &mut DocCache,
    actor: automerge::ActorId,
    feed: &[FeedEntry],
    writer: Option<&str>,
) -> Result<u64, SyncError> {
    let server: HashMap<&[u8; 16], Vec<[u8; 32]>> = feed
        .iter()
        .map(|entry| (&entry.id, state::raw(&entry.heads)))
        .collect();
    let mut resend = 0;
    for (id, rep, heads) in state::all_visits(tx)? {
        match server.get(id.as_bytes()) {
            Some(theirs) if heads == theirs.concat() => state::agree(tx, id, theirs)?,
            Some(theirs) if visit::has_heads(tx, docs, actor.clone(), id, theirs)? => {
                state::agree(tx, id, theirs)?;
            }
            Some(_) => {
                state::forget(tx, id)?;
                resend += 1;
            }
            None if writer.is_some() && rep.as_deref() == writer => {
                state::forget(tx, id)?;
                resend += 1;
            }
            // Another rep's visit the server lost: only that rep's device can send it again.
            None => {}
        }
    }
    state::unsend_all_events(tx)?;
    for key in [CURSOR_KEY, MASTER_VERSION_KEY, RULES_VERSION_KEY] {
        state::set(tx, key, "0")?;
    }
    Ok(resend)
}
