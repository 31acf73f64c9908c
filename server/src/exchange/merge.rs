//! What every merged visit goes through, however its changes arrived (pushed changes or automerge sync
//! messages): the identity and owner checks, and the write it needs.

use mrc_core::{
    sync::wire::{DocId, DocPush, DocReply, DocStatus},
    visit::{Comment, DocState, VisitDoc},
};

use super::to_wire;
use crate::{
    docs::{id_text, plan_write, PendingWrite},
    Principal, Role, ServerError,
};

/// A merged document with its heads, to keep in the cache once the request commits.
pub(super) type Merged = (DocId, Vec<[u8; 32]>, VisitDoc);

/// What merging one pushed visit gives: the reply, the write it needs, the document to cache.
pub(super) type MergedOne = (DocReply, Option<PendingWrite>, Option<Merged>);

/// What a merged visit is checked against, read from the stored document before the merge: its comments (none
/// for a visit new to the server) and, for a manager's push, its whole state (compared with, comments aside).
#[derive(Default)]
pub(super) struct Baseline {
    pub comments: Vec<Comment>,
    pub state: Option<DocState>,
}

/// Reads the [`Baseline`] of the stored `doc` for a push by `principal`.
pub(super) fn baseline(principal: &Principal, doc: &VisitDoc, id: &DocId) -> Result<Baseline, ServerError> {
    let stored = |err: mrc_core::visit::VisitError| {
        ServerError::Internal(format!("stored visit {}: {err}", id_text(id)))
    };
    let state = if principal.role == Role::Manager {
        Some(doc.state().map_err(stored)?)
    } else {
        None
    };
    Ok(Baseline {
        comments: doc.comments().map_err(stored)?,
        state,
    })
}

/// The checks every merged document passes before it is stored: it is the visit it was pushed as, and it still
/// belongs to `rep` (only the owner is read, not the whole state: the notes alone may be thousands of characters).
pub(super) fn check_merged(doc: &mut VisitDoc, rep: &str, push: &DocPush) -> Result<(), ServerError> {
    let found = doc
        .id()
        .map_err(|err| ServerError::BadRequest(format!("visit {}: {err}", id_text(&push.id))))?;
    if found.as_bytes() != &push.id {
        return Err(ServerError::BadRequest(format!(
            "the document pushed as visit {} is visit {found}",
            id_text(&push.id)
        )));
    }
    if doc.rep_id().as_deref() != Some(rep) {
        return Err(outside_scope(&push.id));
    }
    Ok(())
}

/// The write a merge needs: none when the heads did not move (a replay stores nothing). `increment` is the
/// pushed bytes when they were made on exactly the stored heads (stored as they came).
pub(super) fn pending_write(
    doc: &mut VisitDoc,
    rep: &str,
    push: &DocPush,
    heads: &[[u8; 32]],
    old: (&[[u8; 32]], u32),
    increment: Option<&[u8]>,
) -> Option<PendingWrite> {
    let (old_heads, chunk_count) = old;
    (heads != old_heads).then(|| {
        let (chunk_count, bytes, kind) = plan_write(doc, old_heads, chunk_count, increment);
        PendingWrite {
            id: push.id,
            owner: rep.to_owned(),
            heads: heads.to_vec(),
            chunk_count,
            bytes,
            kind,
        }
    })
}

/// The server cannot use the push: continue with sync messages (it has the visit) or send the whole document.
pub(super) fn send_full(push: &DocPush, server_heads: Vec<[u8; 32]>) -> DocReply {
    DocReply {
        id: push.id,
        status: DocStatus::SendFull,
        changes: Vec::new(),
        server_heads: to_wire(&server_heads),
        sync: None,
    }
}

/// A visit the principal may not write (another rep's, or one changed to name another rep).
pub(crate) fn outside_scope(id: &[u8; 16]) -> ServerError {
    ServerError::Forbidden(format!(
        "visit {} belongs to another rep; this token may only change its own rep's visits",
        id_text(id)
    ))
}
