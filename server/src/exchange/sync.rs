//! `POST /v1/sync`: merge the pushed visits (all or nothing), store the events, answer with what the device lacks,
//! the feed of its scope since its cursor, and newer master data and rule settings.

use mrc_core::{
    sync::wire::{DocId, DocPush, DocReply, DocStatus, FeedEntry, SyncRequest, SyncResponse},
    visit::VisitDoc,
};

use super::{check_sync, from_wire, to_wire};
use crate::{
    docs::{id_text, load_pushed, load_stored, not_automerge, plan_write, PendingWrite},
    store::{transact, Access, JsonDoc, Tx},
    DocCache, Principal, ServerError, ServerStore,
};

/// Runs one sync exchange for `principal`. Any refused visit (403) or malformed one (400) fails the whole request
/// and stores nothing. Loads every pushed visit from its chunks; [`sync_cached`] keeps them between requests.
pub fn sync(
    store: &dyn ServerStore,
    principal: &Principal,
    request: &SyncRequest,
    now_ms: i64,
) -> Result<SyncResponse, ServerError> {
    sync_cached(store, &DocCache::new(0), principal, request, now_ms)
}

/// [`sync`], taking pushed visits from `cache` when it holds them at their stored heads, and putting them back
/// once the request committed.
pub fn sync_cached(
    store: &dyn ServerStore,
    cache: &DocCache,
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
    let (response, merged) = transact(store, access, |tx| {
        let (docs, merged) = merge_all(tx, cache, writer, &request.docs)?;
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
        let response = SyncResponse {
            // Answer in the version asked (a v1 device reads only v1 bodies).
            v: request.v,
            docs,
            feed,
            cursor,
            events_acked: u32::try_from(request.events.len()).unwrap_or(u32::MAX),
            master: newer(tx.json_doc(JsonDoc::Master)?, request.master_version),
            rules: newer(tx.json_doc(JsonDoc::Rules)?, request.rules_version),
            server_time_ms: now_ms,
        };
        Ok((response, merged))
    })?;
    // Committed: the merged documents are now the stored ones.
    for (id, heads, doc) in merged {
        cache.put(id, heads, doc);
    }
    Ok(response)
}

/// A merged document with its heads, to keep in the cache once the request commits.
type Merged = (DocId, Vec<[u8; 32]>, VisitDoc);

/// Merges every pushed visit (locking them in id order, so two servers never wait on each other in a cycle), then
/// writes the changed ones with new sequence numbers. Replies are in request order.
fn merge_all(
    tx: &mut dyn Tx,
    cache: &DocCache,
    rep: &str,
    pushes: &[DocPush],
) -> Result<(Vec<DocReply>, Vec<Merged>), ServerError> {
    let mut order: Vec<usize> = (0..pushes.len()).collect();
    order.sort_by_key(|&i| pushes[i].id);
    let mut replies: Vec<Option<DocReply>> = vec![None; pushes.len()];
    let mut writes = Vec::new();
    let mut merged = Vec::new();
    for i in order {
        let (reply, write, doc) = merge_one(tx, cache, rep, &pushes[i])?;
        replies[i] = Some(reply);
        writes.extend(write);
        merged.extend(doc);
    }
    // The sequence counter is taken last: it serialises writers until they commit.
    for write in &writes {
        let seq = tx.next_seq()?;
        tx.write_doc(&write.id, &write.meta(seq), write.write())?;
    }
    let replies = replies
        .into_iter()
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| ServerError::Internal("a pushed visit got no reply".into()))?;
    Ok((replies, merged))
}

fn merge_one(
    tx: &mut dyn Tx,
    cache: &DocCache,
    rep: &str,
    push: &DocPush,
) -> Result<(DocReply, Option<PendingWrite>, Option<Merged>), ServerError> {
    let stored = tx.lock_meta(&push.id)?;
    if let Some(meta) = &stored {
        if meta.owner != rep {
            return Err(outside_scope(&push.id));
        }
    }
    let (mut doc, old_heads, chunk_count) = match stored {
        Some(meta) => {
            let mut doc = match cache.take(&push.id, &meta.heads) {
                Some(doc) => doc,
                None => load_stored(&push.id, &tx.doc_chunks(&push.id)?)?,
            };
            doc.apply_changes(&push.changes)
                .map_err(|_| not_automerge(&push.id))?;
            (doc, meta.heads, meta.chunk_count)
        }
        None => match load_pushed(&push.id, &push.changes)? {
            Some(doc) => (doc, Vec::new(), 0),
            None => return Ok((send_full(push, Vec::new()), None, None)),
        },
    };
    if doc.lacks_dependencies() {
        return Ok((send_full(push, old_heads), None, None));
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
    Ok((reply, write, Some((push.id, heads, doc))))
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
