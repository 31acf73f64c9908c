//! The fallback for a visit whose shared state is unknown: automerge's own sync messages. The device, told
//! `send_full` for a visit the server has, sends a sync message instead of its whole document; the server answers
//! from a fresh `automerge::sync::State` (it keeps nothing per device) until neither side has anything to say.
//! Changes that arrive this way pass the same checks and are stored like any merge.

use automerge::sync;
use mrc_core::{
    sync::wire::{DocPush, DocReply, DocStatus},
    visit::VisitDoc,
};
use serde_bytes::ByteBuf;

use super::{
    comments::check_push,
    merge::{baseline, check_merged, pending_write, MergedOne},
    to_wire,
};
use crate::{docs::not_automerge, store::DocMeta, Principal, ServerError};

/// Answers one pushed sync message for the stored visit `doc` of `rep` (as read by the merge: on a snapshot, or
/// locked when merged again), pushed by `principal` (a
/// manager's changes must still be comments only).
pub(super) fn merge_sync_message(
    principal: &Principal,
    rep: &str,
    push: &DocPush,
    mut doc: VisitDoc,
    meta: &DocMeta,
    message: &[u8],
) -> Result<MergedOne, ServerError> {
    let baseline = baseline(principal, &doc, &push.id)?;
    let mut state = sync::State::new();
    doc.receive_sync_message(&mut state, message)
        .map_err(|_| not_automerge(&push.id))?;
    check_merged(&mut doc, rep, push)?;
    let heads = doc.head_hashes();
    if heads != meta.heads {
        check_push(principal, &push.id, &mut doc, &meta.heads, baseline)?;
    }
    let write = pending_write(&mut doc, rep, push, &heads, (&meta.heads, meta.chunk_count), None);
    let answer = doc.generate_sync_message(&mut state);
    let reply = DocReply {
        id: push.id,
        status: if answer.is_some() {
            DocStatus::Sync
        } else {
            DocStatus::Merged
        },
        changes: Vec::new(),
        server_heads: to_wire(&heads),
        sync: answer.map(ByteBuf::from),
    };
    // Changes queued for dependencies still on the way are not in the saved document: do not cache this copy.
    Ok((reply, write, None))
}
