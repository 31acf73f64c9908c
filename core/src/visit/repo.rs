//! Visit writes: create, edit fields and notes, export and merge. Each write stores the document change and the
//! projection row in one transaction.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction};

use super::{
    cache::{CachedDoc, DocCache},
    projection, Amendment, VisitDoc, VisitError, VisitFields, VisitStatus,
};
use crate::{
    ids::VisitId,
    store::Store,
    validate::{self, Context, Report, Subject},
};

/// Incremental chunks kept before a document is compacted into one full save.
const COMPACT_AFTER_CHUNKS: i64 = 32;

/// What merging a replica's bytes did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MergeOutcome {
    pub id: VisitId,
    /// The visit was new to this store.
    pub created: bool,
    /// The local document gained changes.
    pub changed: bool,
}

impl Store {
    /// Creates a visit with a new UUIDv7 id, entered now.
    pub fn create_visit(&self, fields: &VisitFields) -> Result<VisitId, VisitError> {
        self.create_visit_with(None, fields, self.now())
    }

    /// Creates a visit with a given id (or a new one) and entry time. Refuses an id that is already stored.
    pub fn create_visit_with(
        &self,
        id: Option<VisitId>,
        fields: &VisitFields,
        entered_at: DateTime<Utc>,
    ) -> Result<VisitId, VisitError> {
        let id = id.unwrap_or_else(VisitId::new_v7);
        self.write_with_docs(|tx, docs| {
            insert_new(tx, docs, self.actor().clone(), id, fields, entered_at, self.now())?;
            Ok(id)
        })
    }

    /// Creates many visits in one transaction (sample data, imports). All or none are stored.
    pub fn create_visits(&self, visits: &[(VisitFields, DateTime<Utc>)]) -> Result<Vec<VisitId>, VisitError> {
        self.write_with_docs(|tx, docs| {
            let mut ids = Vec::with_capacity(visits.len());
            for (fields, entered_at) in visits {
                let id = VisitId::new_v7();
                insert_new(
                    tx,
                    docs,
                    self.actor().clone(),
                    id,
                    fields,
                    *entered_at,
                    self.now(),
                )?;
                ids.push(id);
            }
            Ok(ids)
        })
    }

    /// Creates visits with given ids and entry times in one transaction, in order (the audit's replay). Before
    /// each visit, `before(tx, index)` runs in the same transaction, so what it writes (the visit's tap events)
    /// is seen by the visit's stored judgement. All or none are stored.
    pub fn create_visits_replayed(
        &self,
        visits: &[(VisitId, VisitFields, DateTime<Utc>)],
        mut before: impl FnMut(&Transaction<'_>, usize) -> Result<(), crate::store::StoreError>,
    ) -> Result<(), VisitError> {
        self.write_with_docs(|tx, docs| {
            for (i, (id, fields, entered_at)) in visits.iter().enumerate() {
                before(tx, i)?;
                insert_new(
                    tx,
                    docs,
                    self.actor().clone(),
                    *id,
                    fields,
                    *entered_at,
                    self.now(),
                )?;
            }
            Ok(())
        })
    }

    /// Replaces the visit's form state; only fields that differ are written into the document.
    pub fn update_visit(&self, id: VisitId, fields: &VisitFields) -> Result<bool, VisitError> {
        let fields = prepared(fields)?;
        self.edit(id, |doc| doc.apply_fields(&fields))
    }

    /// Replaces `delete` characters of the notes at `position` with `insert` (Unicode scalar values).
    pub fn splice_notes(
        &self,
        id: VisitId,
        position: usize,
        delete: usize,
        insert: &str,
    ) -> Result<(), VisitError> {
        self.splice_notes_against(id, None, position, delete, insert)
    }

    /// [`Store::splice_notes`] for an edit made against notes of `expected_len` characters: refused with
    /// [`VisitError::StaleEdit`] if the stored notes have another length (an earlier edit is missing, or the
    /// edits arrived out of order), so a position is never applied to a text it was not computed on.
    pub fn splice_notes_against(
        &self,
        id: VisitId,
        expected_len: Option<usize>,
        position: usize,
        delete: usize,
        insert: &str,
    ) -> Result<(), VisitError> {
        // The keystroke path: the document, its chunk and the notes columns, but not the stored score, which is
        // cleared and judged again at the next save point (any other write); the form's live check is `validate`.
        self.write_with_docs(|tx, docs| {
            let entry = cached(tx, docs, self.actor().clone(), id)?;
            if entry.doc.status() != VisitStatus::Draft {
                return Err(VisitError::Locked(id));
            }
            if let Some(expected) = expected_len {
                let found = entry.doc.notes_len();
                if found != expected {
                    return Err(VisitError::StaleEdit { expected, found });
                }
            }
            entry.doc.splice_notes(position, delete, insert)?;
            let now = self.now();
            entry.doc.commit(now);
            persist_chunk(tx, id, entry)?;
            let heads = entry.doc.head_hashes().concat();
            projection::write_notes(
                tx,
                id,
                &entry.doc.notes()?,
                now.timestamp_millis(),
                entry.chunks,
                &heads,
            )?;
            Ok(())
        })
    }

    /// Replaces the whole notes text (stored as the minimal edit from the current text).
    pub fn set_notes(&self, id: VisitId, text: &str) -> Result<(), VisitError> {
        self.edit(id, |doc| {
            let changed = doc.notes()? != text;
            doc.set_notes(text)?;
            Ok(changed)
        })
        .map(|_| ())
    }

    /// The visit's whole automerge document, compacted: what another replica (or any automerge) can load.
    pub fn export_visit(&self, id: VisitId) -> Result<Vec<u8>, VisitError> {
        let bytes = self.read(|conn| load_chunks(conn, id))?;
        let mut doc = VisitDoc::load(&bytes, self.actor().clone())?;
        Ok(doc.save())
    }

    /// Merges a replica's document bytes, creating the visit if it is new here.
    pub fn merge_visit(&self, bytes: &[u8]) -> Result<MergeOutcome, VisitError> {
        let mut theirs = VisitDoc::load(bytes, self.actor().clone())?;
        let id = theirs.id()?;
        self.merge_loaded(id, &mut theirs)
    }

    /// Merges a replica's document bytes into the named visit, refusing a document of another visit.
    pub fn merge_visit_into(&self, id: VisitId, bytes: &[u8]) -> Result<MergeOutcome, VisitError> {
        let mut theirs = VisitDoc::load(bytes, self.actor().clone())?;
        let found = theirs.id()?;
        if found != id {
            return Err(VisitError::WrongVisit { expected: id, found });
        }
        self.merge_loaded(id, &mut theirs)
    }

    fn merge_loaded(&self, id: VisitId, theirs: &mut VisitDoc) -> Result<MergeOutcome, VisitError> {
        self.write_with_docs(|tx, docs| {
            if !exists(tx, id)? {
                let bytes = theirs.save();
                let mut doc = VisitDoc::load(&bytes, self.actor().clone())?;
                let state = doc.state()?;
                let heads = doc.head_hashes().concat();
                projection::write(tx, &state, self.now().timestamp_millis(), 1, &heads, None)?;
                append_chunk(tx, id, 0, &doc.save())?;
                docs.insert(id, CachedDoc { doc, chunks: 1 });
                return Ok(MergeOutcome {
                    id,
                    created: true,
                    changed: true,
                });
            }
            let entry = cached(tx, docs, self.actor().clone(), id)?;
            let changed = entry.doc.merge(theirs)?;
            if changed {
                let now = self.now();
                entry.doc.flag_late_edit(now)?;
                persist(tx, id, entry, now)?;
            }
            Ok(MergeOutcome {
                id,
                created: false,
                changed,
            })
        })
    }

    /// Submits a draft: validation must pass; `first_submitted_at` is set once; the visit is then locked.
    /// Submitting an already submitted visit changes nothing and returns its current report.
    pub fn submit_visit(&self, id: VisitId, now: DateTime<Utc>) -> Result<Report, VisitError> {
        self.write_with_docs(|tx, docs| {
            let entry = cached(tx, docs, self.actor().clone(), id)?;
            let state = entry.doc.state()?;
            let ctx = Context::load(tx, Some(id), &state.fields, validate::load_rules(tx)?, now)?;
            let report = validate::validate(
                Subject {
                    fields: &state.fields,
                    amendment_reason: None,
                },
                &ctx,
            );
            if state.status != VisitStatus::Draft {
                return Ok(report);
            }
            if !report.ok {
                return Err(VisitError::Rejected(Box::new(report)));
            }
            entry.doc.submit(now)?;
            entry.doc.commit(now);
            persist(tx, id, entry, now)?;
            Ok(report)
        })
    }

    /// Changes a submitted visit with a reason, recorded (who, when, why) in its document. The new form is
    /// validated as of the visit's original entry time and must have no error. A draft is simply updated.
    pub fn amend_visit(
        &self,
        id: VisitId,
        fields: &VisitFields,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Report, VisitError> {
        let fields = prepared(fields)?;
        self.write_with_docs(|tx, docs| {
            let entry = cached(tx, docs, self.actor().clone(), id)?;
            let state = entry.doc.state()?;
            let is_draft = state.status == VisitStatus::Draft;
            if !is_draft && reason.trim().is_empty() {
                return Err(VisitError::ReasonRequired);
            }
            let mut ctx = Context::load(tx, Some(id), &fields, validate::load_rules(tx)?, state.entered_at)?;
            ctx.existing = None;
            let report = validate::validate(
                Subject {
                    fields: &fields,
                    amendment_reason: Some(reason),
                },
                &ctx,
            );
            if !is_draft && !report.ok {
                return Err(VisitError::Rejected(Box::new(report)));
            }
            let changed = entry.doc.apply_fields(&fields)?;
            if changed && !is_draft {
                let by = self.actor().to_hex_string();
                entry.doc.add_amendment(&Amendment {
                    at: now,
                    by,
                    reason: reason.trim().to_owned(),
                })?;
            }
            if changed {
                entry.doc.commit(now);
                persist(tx, id, entry, now)?;
            }
            Ok(report)
        })
    }

    /// Applies `change` to a draft's document and, if it reports a change, stores it with the projection.
    /// A submitted visit is refused ([`VisitError::Locked`]): it changes through [`Store::amend_visit`].
    fn edit(
        &self,
        id: VisitId,
        change: impl FnOnce(&mut VisitDoc) -> Result<bool, VisitError>,
    ) -> Result<bool, VisitError> {
        self.write_with_docs(|tx, docs| {
            let entry = cached(tx, docs, self.actor().clone(), id)?;
            if entry.doc.status() != VisitStatus::Draft {
                return Err(VisitError::Locked(id));
            }
            if !change(&mut entry.doc)? {
                if projection::score_cleared(tx, id)? {
                    persist_projection(tx, entry, self.now())?;
                }
                return Ok(false);
            }
            let now = self.now();
            entry.doc.commit(now);
            persist(tx, id, entry, now)?;
            Ok(true)
        })
    }
}

fn insert_new(
    tx: &Transaction<'_>,
    docs: &mut DocCache,
    actor: automerge::ActorId,
    id: VisitId,
    fields: &VisitFields,
    entered_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), VisitError> {
    if exists(tx, id)? {
        return Err(VisitError::Duplicate(id));
    }
    let fields = prepared(fields)?;
    let mut doc = VisitDoc::create(actor, id, &fields, entered_at)?;
    let state = doc.state()?;
    let heads = doc.head_hashes().concat();
    let entry_server_ms = projection::known_server_time(tx)?;
    projection::write(tx, &state, now.timestamp_millis(), 1, &heads, entry_server_ms)?;
    append_chunk(tx, id, 0, &doc.save())?;
    docs.insert(id, CachedDoc { doc, chunks: 1 });
    Ok(())
}

pub(super) fn exists(tx: &Transaction<'_>, id: VisitId) -> Result<bool, rusqlite::Error> {
    tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM visits WHERE id = ?1)")?
        .query_row([id.as_bytes().as_slice()], |row| row.get(0))
}

/// The cached document of `id`, loading it from its chunks if needed.
pub(super) fn cached<'c>(
    tx: &Transaction<'_>,
    docs: &'c mut DocCache,
    actor: automerge::ActorId,
    id: VisitId,
) -> Result<&'c mut CachedDoc, VisitError> {
    if docs.get_mut(&id).is_none() {
        let chunks: Option<i64> = tx
            .prepare_cached("SELECT chunk_count FROM visits WHERE id = ?1")?
            .query_row([id.as_bytes().as_slice()], |row| row.get(0))
            .optional()?;
        let chunks = chunks.ok_or(VisitError::NotFound(id))?;
        let mut doc = VisitDoc::load(&load_chunks(tx, id)?, actor)?;
        // Everything loaded is already stored: the next incremental save starts from here.
        doc.save_incremental();
        docs.insert(id, CachedDoc { doc, chunks });
    }
    docs.get_mut(&id).ok_or(VisitError::NotFound(id))
}

/// Stores the document's new changes (or a compacted save) and refreshes the projection, stamped `now`.
pub(super) fn persist(
    tx: &Transaction<'_>,
    id: VisitId,
    entry: &mut CachedDoc,
    now: DateTime<Utc>,
) -> Result<(), VisitError> {
    persist_chunk(tx, id, entry)?;
    persist_projection(tx, entry, now)
}

/// Appends the document's new changes as a chunk (or compacts it into one full save).
fn persist_chunk(tx: &Transaction<'_>, id: VisitId, entry: &mut CachedDoc) -> Result<(), VisitError> {
    if entry.chunks >= COMPACT_AFTER_CHUNKS {
        tx.prepare_cached("DELETE FROM visit_chunks WHERE visit_id = ?1")?
            .execute([id.as_bytes().as_slice()])?;
        append_chunk(tx, id, 0, &entry.doc.save())?;
        entry.chunks = 1;
    } else {
        let chunk = entry.doc.save_incremental();
        let next: i64 = tx
            .prepare_cached("SELECT coalesce(max(seq) + 1, 0) FROM visit_chunks WHERE visit_id = ?1")?
            .query_row([id.as_bytes().as_slice()], |row| row.get(0))?;
        append_chunk(tx, id, next, &chunk)?;
        entry.chunks += 1;
    }
    Ok(())
}

/// Rewrites the whole projection row, with the stored score judged again.
fn persist_projection(
    tx: &Transaction<'_>,
    entry: &mut CachedDoc,
    now: DateTime<Utc>,
) -> Result<(), VisitError> {
    let state = entry.doc.state()?;
    let heads = entry.doc.head_hashes().concat();
    let entry_server_ms = projection::entry_server_time(tx, state.id)?;
    projection::write(
        tx,
        &state,
        now.timestamp_millis(),
        entry.chunks,
        &heads,
        entry_server_ms,
    )?;
    Ok(())
}

pub(super) fn append_chunk(
    tx: &Transaction<'_>,
    id: VisitId,
    seq: i64,
    bytes: &[u8],
) -> Result<(), rusqlite::Error> {
    tx.prepare_cached("INSERT INTO visit_chunks (visit_id, seq, bytes) VALUES (?1, ?2, ?3)")?
        .execute((id.as_bytes().as_slice(), seq, bytes))
        .map(|_| ())
}

/// The stored chunks of a visit, concatenated (automerge loads a save followed by incremental chunks).
pub(super) fn load_chunks(conn: &rusqlite::Connection, id: VisitId) -> Result<Vec<u8>, VisitError> {
    let mut stmt = conn.prepare_cached("SELECT bytes FROM visit_chunks WHERE visit_id = ?1 ORDER BY seq")?;
    let mut rows = stmt.query([id.as_bytes().as_slice()])?;
    let mut bytes = Vec::new();
    let mut any = false;
    while let Some(row) = rows.next()? {
        let chunk: Vec<u8> = row.get(0)?;
        bytes.extend_from_slice(&chunk);
        any = true;
    }
    if !any {
        return Err(VisitError::NotFound(id));
    }
    Ok(bytes)
}

/// The form as stored: insight keys checked (two entries never become one silently), then normalized.
fn prepared(fields: &VisitFields) -> Result<VisitFields, VisitError> {
    fields.insights.check_keys().map_err(VisitError::Invalid)?;
    let mut fields = fields.clone();
    fields.normalize();
    Ok(fields)
}
