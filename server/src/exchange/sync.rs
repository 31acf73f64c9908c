//! `POST /v1/sync`: merge the pushed visits (all or nothing), store the events, answer with what the device lacks,
//! the feed of its scope since its cursor, and newer master data and rule settings.

use mrc_core::{
    sync::wire::{DocId, DocPush, DocReply, DocStatus, FeedEntry, Reset, SyncRequest, SyncResponse},
    visit::VisitDoc,
};

use super::{
    check_sync,
    comments::check_push,
    from_wire, history,
    merge::{baseline, check_merged, outside_scope, pending_write, send_full, Baseline, Merged, MergedOne},
    to_wire,
};
use crate::{
    docs::{id_text, load_pushed, load_stored, not_automerge, PendingWrite},
    store::{transact, Access, DocMeta, JsonDoc, Tx},
    DocCache, Principal, Role, ServerError, ServerStore,
};

/// Runs one sync exchange for `principal`. Any refused visit (403) or malformed one (400) fails the whole request
/// and stores nothing. A rep pushes their own visits and events; a manager pushes only comments on the visits of
/// the team's reps (`comments::check_push`), never events or new visits. The visits are merged on a read
/// snapshot, outside the write lock, then written if their rows did not move meanwhile (else merged again under
/// the lock). Loads every pushed visit from its chunks; [`sync_cached`] keeps them between requests.
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
    // The merge (the CPU work: automerge, the checks) runs on a read snapshot, outside the write lock, so
    // requests merge in parallel; the write transaction then only checks that no pushed visit moved meanwhile.
    let mut prepared = if request.docs.is_empty() {
        None
    } else {
        Some(transact(store, Access::Merge, |tx| {
            merge_all(tx, cache, principal, &request.docs, Lock::None)
        })?)
    };
    let access = if pushes { Access::Write } else { Access::Read };
    let (response, merged) = transact(store, access, |tx| {
        // Judged before this request writes: its writes extend the history whatever the device saw.
        let lost = history::lost(tx, request)?;
        // Taken once: a retried transaction (or a visit another request changed since) merges under the lock.
        let plan = match prepared.take() {
            Some(plan) if still_current(tx, &plan.seen)? => plan,
            _ => merge_all(tx, cache, principal, &request.docs, Lock::Rows)?,
        };
        write_all(tx, &plan.writes, now_ms)?;
        let docs = plan.replies;
        tx.insert_events(writer, &request.events, now_ms)?;
        // A tap naming a visit is evidence for its audit: the rep's verdicts are computed again.
        if request.events.iter().any(|e| e.visit_id.is_some()) {
            tx.queue_reps(&[writer.to_owned()], now_ms)?;
        }
        // A device whose view of the server is lost gets the whole feed of its scope, to reconcile against.
        let after = if lost { 0 } else { request.cursor };
        let rows = tx.feed(&principal.reps, after)?;
        let cursor = rows.last().map_or(after, |row| row.seq.max(after));
        // A visit merged by this request is in the feed with the heads its reply already carries (same
        // transaction): the device learns nothing from that entry, so it is left out — except from a whole feed,
        // where a missing visit means one the server lacks.
        let feed = rows
            .into_iter()
            .filter(|row| lost || !answered(&docs, &row.id, &row.heads))
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
            // Read last: the head covers every write this answer makes the device agree on.
            server: Some(history::mark(tx)?),
            reset: lost.then(|| Reset {
                writer: principal.writer().map(str::to_owned),
            }),
        };
        Ok((response, plan.merged))
    })?;
    // Committed: the merged documents are now the stored ones.
    for (id, heads, doc) in merged {
        cache.put(id, heads, doc);
    }
    Ok(response)
}

/// Writes the moved visits with new sequence numbers, and queues their reps for the audit. The counter row stays
/// locked until the commit, so writers take numbers in commit order.
fn write_all(tx: &mut dyn Tx, writes: &[PendingWrite], now_ms: i64) -> Result<(), ServerError> {
    if writes.is_empty() {
        return Ok(());
    }
    let count = u32::try_from(writes.len())
        .map_err(|_| ServerError::Internal("too many writes in one request".into()))?;
    let first = tx.take_seqs(count)?;
    let mut owners = Vec::new();
    for (seq, write) in (first..).zip(writes) {
        let meta = write.meta(seq);
        tx.write_doc(&write.id, &meta, write.write())?;
        owners.push(meta.owner);
    }
    let written: Vec<_> = writes.iter().map(|w| (w.id, w.heads.as_slice())).collect();
    history::extend(tx, first, &written)?;
    owners.sort();
    owners.dedup();
    tx.queue_reps(&owners, now_ms)?;
    Ok(())
}

/// Whether the merge reads the rows under the per-document lock (in the write transaction) or from a snapshot.
#[derive(Clone, Copy)]
enum Lock {
    None,
    Rows,
}

/// What merging the pushed visits gives, before anything is written.
struct Plan {
    /// One per pushed visit, in request order.
    replies: Vec<DocReply>,
    writes: Vec<PendingWrite>,
    merged: Vec<Merged>,
    /// The row each pushed visit was merged on (`None`: not on the server), in id order.
    seen: Vec<(DocId, Option<DocMeta>)>,
}

/// Locks the rows of a plan's visits (in id order, as [`merge_all`] does) and tells whether they are still the
/// ones it was made on. Heads name the whole history, so equal rows mean equal documents.
fn still_current(tx: &mut dyn Tx, seen: &[(DocId, Option<DocMeta>)]) -> Result<bool, ServerError> {
    for (id, meta) in seen {
        if tx.lock_meta(id)? != *meta {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Merges every pushed visit (in id order, so two servers locking rows never wait on each other in a cycle) and
/// plans the writes of the changed ones. Replies are in request order.
fn merge_all(
    tx: &mut dyn Tx,
    cache: &DocCache,
    principal: &Principal,
    pushes: &[DocPush],
    lock: Lock,
) -> Result<Plan, ServerError> {
    let mut order: Vec<usize> = (0..pushes.len()).collect();
    order.sort_by_key(|&i| pushes[i].id);
    let mut replies: Vec<Option<DocReply>> = vec![None; pushes.len()];
    let mut writes = Vec::new();
    let mut merged = Vec::new();
    let mut seen = Vec::with_capacity(pushes.len());
    for i in order {
        let push = &pushes[i];
        let stored = match lock {
            Lock::Rows => tx.lock_meta(&push.id)?,
            Lock::None => tx.doc_meta(&push.id)?,
        };
        let (reply, write, doc) = merge_one(tx, cache, principal, push, stored.clone())?;
        seen.push((push.id, stored));
        replies[i] = Some(reply);
        writes.extend(write);
        merged.extend(doc);
    }
    let replies = replies
        .into_iter()
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| ServerError::Internal("a pushed visit got no reply".into()))?;
    Ok(Plan {
        replies,
        writes,
        merged,
        seen,
    })
}

fn merge_one(
    tx: &mut dyn Tx,
    cache: &DocCache,
    principal: &Principal,
    push: &DocPush,
    stored: Option<DocMeta>,
) -> Result<MergedOne, ServerError> {
    // The rep the visit belongs to: the stored owner, who must be in scope; a new visit is the writer's own.
    let rep = match (&stored, principal.writer()) {
        (Some(meta), Some(writer)) if meta.owner == writer => meta.owner.clone(),
        (Some(meta), None) if principal.role == Role::Manager && principal.can_read(&meta.owner) => {
            meta.owner.clone()
        }
        (None, Some(writer)) => writer.to_owned(),
        (None, None) => return Err(no_new_visits(&push.id)),
        (Some(_), _) => return Err(outside_scope(&push.id)),
    };
    let rep = rep.as_str();
    let Some(meta) = stored else {
        return Ok(match load_pushed(&push.id, &push.changes)? {
            Some(doc) if push.sync.is_none() => {
                finish(principal, rep, push, doc, (&[], 0), Baseline::default(), None)?
            }
            _ => (send_full(push, Vec::new()), None, None),
        });
    };
    let doc = match cache.take(&push.id, &meta.heads) {
        Some(doc) => doc,
        None => load_stored(&push.id, &tx.doc_chunks(&push.id)?)?,
    };
    if let Some(message) = &push.sync {
        return super::fallback::merge_sync_message(principal, rep, push, doc, &meta, message);
    }
    let baseline = baseline(principal, &doc, &push.id)?;
    let mut doc = doc;
    doc.apply_changes(&push.changes)
        .map_err(|_| not_automerge(&push.id))?;
    if doc.lacks_dependencies() {
        return Ok((send_full(push, meta.heads), None, None));
    }
    // Pushed on exactly the stored heads, the pushed bytes are the increment to store (the same changes
    // `save_after(old heads)` would encode again); they were just applied, so they load.
    let increment = (from_wire(&push.have) == meta.heads).then_some(&push.changes[..]);
    finish(
        principal,
        rep,
        push,
        doc,
        (&meta.heads, meta.chunk_count),
        baseline,
        increment,
    )
}

/// Checks a merged document (identity, owner, a manager's comments-only rule), plans its write and answers with
/// what the device lacks.
fn finish(
    principal: &Principal,
    rep: &str,
    push: &DocPush,
    mut doc: VisitDoc,
    old: (&[[u8; 32]], u32),
    baseline: Baseline,
    increment: Option<&[u8]>,
) -> Result<MergedOne, ServerError> {
    check_merged(&mut doc, rep, push)?;
    let heads = doc.head_hashes();
    if heads != old.0 {
        check_push(principal, &push.id, &mut doc, old.0, baseline)?;
    }
    let write = pending_write(&mut doc, rep, push, &heads, old, increment);
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
    Ok((reply, write, Some((push.id, heads, doc))))
}

/// Whether `docs` holds a merged reply for `id` with exactly `heads`.
fn answered(docs: &[DocReply], id: &[u8; 16], heads: &[[u8; 32]]) -> bool {
    docs.iter().any(|reply| {
        reply.status == DocStatus::Merged && &reply.id == id && from_wire(&reply.server_heads) == heads
    })
}

/// A manager pushing a visit the server does not have.
fn no_new_visits(id: &[u8; 16]) -> ServerError {
    ServerError::Forbidden(format!(
        "visit {} is not on the server; a manager's token cannot create visits",
        id_text(id)
    ))
}
