//! `POST /v1/sync`: merge the pushed visits (all or nothing), store the events, answer with what the device lacks,
//! the feed of its scope since its cursor, and newer master data and rule settings.

use mrc_core::{
    sync::wire::{DocPush, DocReply, DocStatus, FeedEntry, SyncRequest, SyncResponse, PROTOCOL_VERSION},
    visit::VisitDoc,
};

use super::{check_sync, comments::check_push, from_wire, to_wire};
use crate::{
    docs::{id_text, load_pushed, load_stored, not_automerge, plan_write, PendingWrite},
    store::{transact, Access, JsonDoc, Tx},
    Principal, Role, ServerError, ServerStore,
};

/// Runs one sync exchange for `principal`. Any refused visit (403) or malformed one (400) fails the whole request
/// and stores nothing. A rep pushes their own visits and events; a manager pushes only comments on the visits of
/// the team's reps (`comments::check_push`), never events or new visits.
pub fn sync(
    store: &dyn ServerStore,
    principal: &Principal,
    request: &SyncRequest,
    now_ms: i64,
) -> Result<SyncResponse, ServerError> {
    check_sync(request)?;
    let pushes = !request.docs.is_empty() || !request.events.is_empty();
    let writer = principal.writer().unwrap_or("");
    if !request.events.is_empty() && principal.writer().is_none() {
        return Err(ServerError::Forbidden(
            "this token cannot push events (only a rep's device records them)".into(),
        ));
    }
    if !request.docs.is_empty() && principal.role == Role::HeadOffice {
        return Err(ServerError::Forbidden(
            "this token is read-only: it cannot push visits".into(),
        ));
    }
    let access = if pushes { Access::Write } else { Access::Read };
    transact(store, access, |tx| {
        let docs = merge_all(tx, principal, &request.docs)?;
        for event in &request.events {
            tx.insert_event(writer, event, now_ms)?;
        }
        let rows = tx.feed(&principal.reps, request.cursor)?;
        let cursor = rows
            .last()
            .map_or(request.cursor, |row| row.seq.max(request.cursor));
        let feed = rows
            .into_iter()
            .map(|row| FeedEntry {
                id: row.id,
                heads: to_wire(&row.heads),
            })
            .collect();
        let newer =
            |doc: Option<mrc_core::sync::wire::Versioned>, have: u64| doc.filter(|d| d.version > have);
        Ok(SyncResponse {
            v: PROTOCOL_VERSION,
            docs,
            feed,
            cursor,
            events_acked: u32::try_from(request.events.len()).unwrap_or(u32::MAX),
            master: newer(tx.json_doc(JsonDoc::Master)?, request.master_version),
            rules: newer(tx.json_doc(JsonDoc::Rules)?, request.rules_version),
            server_time_ms: now_ms,
        })
    })
}

/// Merges every pushed visit (locking them in id order, so two servers never wait on each other in a cycle), then
/// writes the changed ones with new sequence numbers. Replies are in request order.
fn merge_all(
    tx: &mut dyn Tx,
    principal: &Principal,
    pushes: &[DocPush],
) -> Result<Vec<DocReply>, ServerError> {
    let mut order: Vec<usize> = (0..pushes.len()).collect();
    order.sort_by_key(|&i| pushes[i].id);
    let mut replies: Vec<Option<DocReply>> = vec![None; pushes.len()];
    let mut writes = Vec::new();
    for i in order {
        let (reply, write) = merge_one(tx, principal, &pushes[i])?;
        replies[i] = Some(reply);
        writes.extend(write);
    }
    // The sequence counter is taken last: it serialises writers until they commit.
    for write in &writes {
        let seq = tx.next_seq()?;
        tx.write_doc(&write.id, &write.meta(seq), write.write())?;
    }
    replies
        .into_iter()
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| ServerError::Internal("a pushed visit got no reply".into()))
}

fn merge_one(
    tx: &mut dyn Tx,
    principal: &Principal,
    push: &DocPush,
) -> Result<(DocReply, Option<PendingWrite>), ServerError> {
    let stored = tx.lock_doc(&push.id)?;
    // The rep the visit belongs to: the stored owner, who must be in scope; a new visit is the writer's own.
    let rep = match (&stored, principal.writer()) {
        (Some(stored), Some(writer)) if stored.meta.owner == writer => stored.meta.owner.clone(),
        (Some(stored), None) if principal.role == Role::Manager && principal.can_read(&stored.meta.owner) => {
            stored.meta.owner.clone()
        }
        (None, Some(writer)) => writer.to_owned(),
        (None, None) => return Err(no_new_visits(&push.id)),
        (Some(_), _) => return Err(outside_scope(&push.id)),
    };
    let rep = rep.as_str();
    if let Some(message) = &push.sync {
        return super::fallback::merge_sync_message(principal, rep, push, stored.as_ref(), message);
    }
    let mut stored_state = None;
    let (mut doc, old_heads, chunk_count) = match &stored {
        Some(stored) => {
            let mut doc = load_stored(&push.id, stored)?;
            if principal.role == Role::Manager {
                stored_state = Some(doc.state().map_err(|err| {
                    ServerError::Internal(format!("stored visit {}: {err}", id_text(&push.id)))
                })?);
            }
            doc.apply_changes(&push.changes)
                .map_err(|_| not_automerge(&push.id))?;
            (doc, stored.meta.heads.clone(), stored.meta.chunk_count)
        }
        None => match load_pushed(&push.id, &push.changes)? {
            Some(doc) => (doc, Vec::new(), 0),
            None => return Ok((send_full(push, Vec::new()), None)),
        },
    };
    if doc.lacks_dependencies() {
        return Ok((send_full(push, old_heads), None));
    }
    check_merged(&mut doc, rep, push)?;
    let heads = doc.head_hashes();
    if heads != old_heads {
        check_push(principal, &push.id, &mut doc, &old_heads, stored_state)?;
    }
    let write = pending_write(&mut doc, rep, push, &heads, &old_heads, chunk_count);
    let device_heads = from_wire(&push.heads);
    let changes = if device_heads == heads {
        Vec::new()
    } else {
        doc.save_after(&device_heads)
    };
    let reply = DocReply {
        id: push.id,
        status: DocStatus::Merged,
        changes,
        server_heads: to_wire(&heads),
        sync: None,
    };
    Ok((reply, write))
}

/// The checks every merged document passes before it is stored: it is the visit it was pushed as, and it still
/// belongs to `rep`.
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
    let state = doc
        .state()
        .map_err(|err| ServerError::BadRequest(format!("visit {}: {err}", id_text(&push.id))))?;
    if state.fields.rep_id.as_deref() != Some(rep) {
        return Err(outside_scope(&push.id));
    }
    Ok(())
}

/// The write a merge needs: none when the heads did not move (a replay stores nothing).
pub(super) fn pending_write(
    doc: &mut VisitDoc,
    rep: &str,
    push: &DocPush,
    heads: &[[u8; 32]],
    old_heads: &[[u8; 32]],
    chunk_count: u32,
) -> Option<PendingWrite> {
    (heads != old_heads).then(|| {
        let (chunk_count, bytes, kind) = plan_write(doc, old_heads, chunk_count);
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

pub(super) fn send_full(push: &DocPush, server_heads: Vec<[u8; 32]>) -> DocReply {
    DocReply {
        id: push.id,
        status: DocStatus::SendFull,
        changes: Vec::new(),
        server_heads: to_wire(&server_heads),
        sync: None,
    }
}

/// A manager pushing a visit the server does not have.
fn no_new_visits(id: &[u8; 16]) -> ServerError {
    ServerError::Forbidden(format!(
        "visit {} is not on the server; a manager's token cannot create visits",
        id_text(id)
    ))
}

/// A visit the principal may not write (another rep's, or one changed to name another rep).
pub(crate) fn outside_scope(id: &[u8; 16]) -> ServerError {
    ServerError::Forbidden(format!(
        "visit {} belongs to another rep; this token may only change its own rep's visits",
        id_text(id)
    ))
}
