//! `POST /v1/sync`: merge the pushed visits (all or nothing), store the events, answer with what the device lacks,
//! the feed of its scope since its cursor, and newer master data and rule settings.

use mrc_core::sync::wire::{DocPush, DocReply, DocStatus, FeedEntry, SyncRequest, SyncResponse};

use super::{check_sync, from_wire, to_wire};
use crate::{
    docs::{id_text, load_pushed, load_stored, not_automerge, plan_write, PendingWrite},
    store::{transact, Access, JsonDoc, Tx},
    Principal, ServerError, ServerStore,
};

/// Runs one sync exchange for `principal`. Any refused visit (403) or malformed one (400) fails the whole request
/// and stores nothing.
pub fn sync(
    store: &dyn ServerStore,
    principal: &Principal,
    request: &SyncRequest,
    now_ms: i64,
) -> Result<SyncResponse, ServerError> {
    check_sync(request)?;
    let pushes = !request.docs.is_empty() || !request.events.is_empty();
    let writer = match principal.writer() {
        Some(rep) => rep,
        None if pushes => {
            return Err(ServerError::Forbidden(
                "this token is read-only (a manager's): it cannot push visits or events".into(),
            ))
        }
        None => "",
    };
    let access = if pushes { Access::Write } else { Access::Read };
    transact(store, access, |tx| {
        let docs = merge_all(tx, writer, &request.docs)?;
        for event in &request.events {
            tx.insert_event(writer, event, now_ms)?;
        }
        let rows = tx.feed(&principal.reps, request.cursor)?;
        let cursor = rows
            .last()
            .map_or(request.cursor, |row| row.seq.max(request.cursor));
        // A visit merged by this request is in the feed with the heads its reply already carries (same
        // transaction): the device learns nothing from that entry, so it is left out.
        let feed = rows
            .into_iter()
            .filter(|row| !answered(&docs, &row.id, &row.heads))
            .map(|row| FeedEntry {
                id: row.id,
                heads: to_wire(&row.heads),
            })
            .collect();
        let newer =
            |doc: Option<mrc_core::sync::wire::Versioned>, have: u64| doc.filter(|d| d.version > have);
        Ok(SyncResponse {
            // Answer in the version asked (a v1 device reads only v1 bodies).
            v: request.v,
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
fn merge_all(tx: &mut dyn Tx, rep: &str, pushes: &[DocPush]) -> Result<Vec<DocReply>, ServerError> {
    let mut order: Vec<usize> = (0..pushes.len()).collect();
    order.sort_by_key(|&i| pushes[i].id);
    let mut replies: Vec<Option<DocReply>> = vec![None; pushes.len()];
    let mut writes = Vec::new();
    for i in order {
        let (reply, write) = merge_one(tx, rep, &pushes[i])?;
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
    rep: &str,
    push: &DocPush,
) -> Result<(DocReply, Option<PendingWrite>), ServerError> {
    let stored = tx.lock_doc(&push.id)?;
    if let Some(stored) = &stored {
        if stored.meta.owner != rep {
            return Err(outside_scope(&push.id));
        }
    }
    let (mut doc, old_heads, chunk_count) = match &stored {
        Some(stored) => {
            let mut doc = load_stored(&push.id, stored)?;
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
    let found = doc
        .id()
        .map_err(|err| ServerError::BadRequest(format!("visit {}: {err}", id_text(&push.id))))?;
    if found.as_bytes() != &push.id {
        return Err(ServerError::BadRequest(format!(
            "the document pushed as visit {} is visit {found}",
            id_text(&push.id)
        )));
    }
    // Only the owner is read (not the whole state: the notes alone may be thousands of characters).
    if doc.rep_id().as_deref() != Some(rep) {
        return Err(outside_scope(&push.id));
    }
    let heads = doc.head_hashes();
    // Pushed on exactly the stored heads, the pushed bytes are the increment to store (the same changes
    // `save_after(old heads)` would encode again); they were just applied, so they load.
    let increment =
        (!old_heads.is_empty() && from_wire(&push.have) == old_heads).then_some(&push.changes[..]);
    let write = (heads != old_heads).then(|| {
        let (chunk_count, bytes, kind) = plan_write(&mut doc, &old_heads, chunk_count, increment);
        PendingWrite {
            id: push.id,
            owner: rep.to_owned(),
            heads: heads.clone(),
            chunk_count,
            bytes,
            kind,
        }
    });
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
    };
    Ok((reply, write))
}

/// Whether `docs` holds a merged reply for `id` with exactly `heads`.
fn answered(docs: &[DocReply], id: &[u8; 16], heads: &[[u8; 32]]) -> bool {
    docs.iter().any(|reply| {
        reply.status == DocStatus::Merged && &reply.id == id && from_wire(&reply.server_heads) == heads
    })
}

fn send_full(push: &DocPush, server_heads: Vec<[u8; 32]>) -> DocReply {
    DocReply {
        id: push.id,
        status: DocStatus::SendFull,
        changes: Vec::new(),
        server_heads: to_wire(&server_heads),
    }
}

/// A visit the principal may not write (another rep's, or one changed to name another rep).
pub(crate) fn outside_scope(id: &[u8; 16]) -> ServerError {
    ServerError::Forbidden(format!(
        "visit {} belongs to another rep; this token may only change its own rep's visits",
        id_text(id)
    ))
}
