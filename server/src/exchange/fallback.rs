//! The fallback for a visit whose shared state is unknown: automerge's own sync messages. The device, told
//! `send_full` for a visit the server has, sends a sync message instead of its whole document; the server answers
//! from a fresh `automerge::sync::State` (it keeps nothing per device) until neither side has anything to say.
//! Changes that arrive this way pass the same checks and are stored like any merge.

use automerge::sync;
use mrc_core::sync::wire::{DocPush, DocReply, DocStatus};
use serde_bytes::ByteBuf;

use super::{
    comments::check_push,
    sync::{check_merged, pending_write, send_full},
    to_wire,
};
use crate::{
    docs::{id_text, load_stored, not_automerge, PendingWrite},
    store::StoredDoc,
    Principal, Role, ServerError,
};

/// Answers one pushed sync message for a visit of `rep` (whose stored document, if any, is locked), pushed by
/// `principal` (a manager's changes must still be comments only).
pub(super) fn merge_sync_message(
    principal: &Principal,
    rep: &str,
    push: &DocPush,
    stored: Option<&StoredDoc>,
    message: &[u8],
) -> Result<(DocReply, Option<PendingWrite>), ServerError> {
    let Some(stored) = stored else {
        // Nothing to compare with: the whole document is the shortest way.
        return Ok((send_full(push, Vec::new()), None));
    };
    let mut doc = load_stored(&push.id, stored)?;
    let stored_state = match principal.role {
        Role::Manager => Some(
            doc.state()
                .map_err(|err| ServerError::Internal(format!("stored visit {}: {err}", id_text(&push.id))))?,
        ),
        _ => None,
    };
    let mut state = sync::State::new();
    doc.receive_sync_message(&mut state, message)
        .map_err(|_| not_automerge(&push.id))?;
    check_merged(&mut doc, rep, push)?;
    let heads = doc.head_hashes();
    if heads != stored.meta.heads {
        check_push(principal, &push.id, &mut doc, &stored.meta.heads, stored_state)?;
    }
    let write = pending_write(
        &mut doc,
        rep,
        push,
        &heads,
        &stored.meta.heads,
        stored.meta.chunk_count,
    );
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
    Ok((reply, write))
}
