//! Changes that come from elsewhere (the sync server): applying them to local visits, and reading the local
//! changes the server lacks. Remote changes always apply, locked or not: a CRDT merge never refuses history.

use rusqlite::Transaction;

use super::{
    cache::{CachedDoc, DocCache},
    projection,
    repo::{append_chunk, cached, exists, persist},
    VisitDoc, VisitError,
};
use crate::ids::VisitId;

/// Applies a replica's changes (a full save or incremental chunks) to visit `id`, creating it if it is new here.
/// Returns whether the local document changed.
pub(crate) fn apply_remote(
    tx: &Transaction<'_>,
    docs: &mut DocCache,
    actor: automerge::ActorId,
    id: VisitId,
    bytes: &[u8],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<bool, VisitError> {
    if bytes.is_empty() {
        return Ok(false);
    }
    if !exists(tx, id)? {
        let mut doc = VisitDoc::load(bytes, actor)?;
        let found = doc.id()?;
        if found != id {
            return Err(VisitError::WrongVisit { expected: id, found });
        }
        let state = doc.state()?;
        let heads = doc.head_hashes().concat();
        // Entered on another device: the server time this one knows says nothing about that device's clock.
        projection::write(tx, &state, now.timestamp_millis(), 1, &heads, None)?;
        append_chunk(tx, id, 0, &doc.save())?;
        docs.insert(id, CachedDoc { doc, chunks: 1 });
        return Ok(true);
    }
    let entry = cached(tx, docs, actor, id)?;
    let changed = entry.doc.apply_changes(bytes)?;
    if changed {
        entry.doc.flag_late_edit(now)?;
        persist(tx, id, entry, now)?;
    }
    Ok(changed)
}

/// The local document of `id`: its changes after `have` (everything when `have` is empty) and its heads.
pub(crate) fn changes_since(
    tx: &Transaction<'_>,
    docs: &mut DocCache,
    actor: automerge::ActorId,
    id: VisitId,
    have: &[[u8; 32]],
) -> Result<(Vec<u8>, Vec<[u8; 32]>), VisitError> {
    let entry = cached(tx, docs, actor, id)?;
    let changes = entry.doc.save_after(have);
    Ok((changes, entry.doc.head_hashes()))
}

/// Whether the local document of `id` holds every change named by `heads` (false if the visit is not here).
pub(crate) fn has_heads(
    tx: &Transaction<'_>,
    docs: &mut DocCache,
    actor: automerge::ActorId,
    id: VisitId,
    heads: &[[u8; 32]],
) -> Result<bool, VisitError> {
    if !exists(tx, id)? {
        return Ok(false);
    }
    Ok(cached(tx, docs, actor, id)?.doc.has_all(heads))
}

/// An encoded sync message (`None`: nothing to say) and the local heads.
type MessageAndHeads = (Option<Vec<u8>>, Vec<[u8; 32]>);

/// The next automerge sync message for visit `id` to a peer whose state is `state` (`None`: nothing to say),
/// and the local heads.
pub(crate) fn sync_message(
    tx: &Transaction<'_>,
    docs: &mut DocCache,
    actor: automerge::ActorId,
    id: VisitId,
    state: &mut automerge::sync::State,
) -> Result<MessageAndHeads, VisitError> {
    let entry = cached(tx, docs, actor, id)?;
    // The server keeps nothing between requests: a change it could not apply yet (its dependency was still on
    // the way) is gone there, so nothing counts as sent until the server's heads or filter say it has it.
    state.sent_hashes.clear();
    Ok((entry.doc.generate_sync_message(state), entry.doc.head_hashes()))
}

/// Applies a peer's automerge sync message to visit `id` (stored like any remote change). Returns whether the
/// local document changed.
pub(crate) fn receive_sync(
    tx: &Transaction<'_>,
    docs: &mut DocCache,
    actor: automerge::ActorId,
    id: VisitId,
    state: &mut automerge::sync::State,
    bytes: &[u8],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<bool, VisitError> {
    let entry = cached(tx, docs, actor, id)?;
    let changed = entry.doc.receive_sync_message(state, bytes)?;
    if changed {
        entry.doc.flag_late_edit(now)?;
        persist(tx, id, entry, now)?;
    }
    Ok(changed)
}
