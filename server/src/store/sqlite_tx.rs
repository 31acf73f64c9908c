//! [`Tx`] over one SQLite transaction.

use std::sync::LazyLock;

use mrc_core::sync::wire::{DocId, Versioned, WireEvent};
use rusqlite::{
    params, params_from_iter,
    types::{ToSqlOutput, Value, ValueRef},
    OptionalExtension, Transaction,
};

use super::{
    content_hash, doc_id, first_of, heads_from_bytes, heads_to_bytes, reps_to_json, to_i64, to_u64,
    token_from_row, DocMeta, DocWrite, FeedRow, JsonDoc, StoreError, StoredDoc, StoredEvent, Tx,
};
use crate::{
    content::{ContentHash, VerifiedContent},
    tokens::{token_id, AdminLogEntry, TokenInfo},
    Principal,
};

/// A token row's columns: id, role, reps, its five times and the token it was rotated from.
type TokenRow = (Option<String>, String, String, [Option<i64>; 5], Option<String>);

fn token_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TokenRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        [Some(r.get(3)?), r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?],
        r.get(8)?,
    ))
}

/// One SQLite transaction (the writer's transactions are IMMEDIATE, so reading a document already locks it).
pub(super) struct SqliteTx<'a> {
    pub(super) tx: &'a Transaction<'a>,
}

impl<'a> SqliteTx<'a> {
    pub(super) fn new(tx: &'a Transaction<'a>) -> SqliteTx<'a> {
        SqliteTx { tx }
    }
}

impl Tx for SqliteTx<'_> {
    fn token(&mut self, token_hash: &[u8; 32]) -> Result<Option<TokenInfo>, StoreError> {
        let sql = "SELECT id, role, reps, created_at_ms, expires_at_ms, revoked_at_ms, last_seen_ms,
                          replaced_at_ms, rotated_from
                   FROM tokens WHERE hash = ?1";
        let row = self
            .tx
            .prepare_cached(sql)?
            .query_row([token_hash.as_slice()], token_row)
            .optional()?;
        row.map(|(id, role, reps, times, from)| token_from_row(id, &role, &reps, times, from))
            .transpose()
    }

    fn mark_replaced(&mut self, id: &str, now_ms: i64) -> Result<(), StoreError> {
        self.tx.execute(
            "UPDATE tokens SET replaced_at_ms = coalesce(replaced_at_ms, ?2) WHERE id = ?1",
            params![id, now_ms],
        )?;
        Ok(())
    }

    fn replace_unused_successors(&mut self, of: &str, now_ms: i64) -> Result<(), StoreError> {
        self.tx.execute(
            "UPDATE tokens SET replaced_at_ms = ?2
             WHERE rotated_from = ?1 AND last_seen_ms IS NULL AND replaced_at_ms IS NULL",
            params![of, now_ms],
        )?;
        Ok(())
    }

    fn add_token(
        &mut self,
        token_hash: &[u8; 32],
        principal: &Principal,
        now_ms: i64,
        expires_at_ms: Option<i64>,
        rotated_from: Option<&str>,
    ) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO tokens (hash, role, reps, created_at_ms, id, expires_at_ms, rotated_from)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                token_hash.as_slice(),
                principal.role.as_str(),
                reps_to_json(&principal.reps),
                now_ms,
                token_id(token_hash),
                expires_at_ms,
                rotated_from,
            ],
        )?;
        Ok(())
    }

    fn tokens(&mut self) -> Result<Vec<TokenInfo>, StoreError> {
        let sql = "SELECT id, role, reps, created_at_ms, expires_at_ms, revoked_at_ms, last_seen_ms,
                          replaced_at_ms, rotated_from
                   FROM tokens ORDER BY created_at_ms, id";
        let rows = self
            .tx
            .prepare_cached(sql)?
            .query_map([], token_row)?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(id, role, reps, times, from)| token_from_row(id, &role, &reps, times, from))
            .collect()
    }

    fn revoke_token(&mut self, id: &str, now_ms: i64) -> Result<bool, StoreError> {
        let changed = self.tx.execute(
            "UPDATE tokens SET revoked_at_ms = coalesce(revoked_at_ms, ?2) WHERE id = ?1",
            params![id, now_ms],
        )?;
        Ok(changed > 0)
    }

    fn touch_token(&mut self, token_hash: &[u8; 32], now_ms: i64) -> Result<(), StoreError> {
        self.tx.execute(
            "UPDATE tokens SET last_seen_ms = max(coalesce(last_seen_ms, 0), ?2) WHERE hash = ?1",
            params![token_hash.as_slice(), now_ms],
        )?;
        Ok(())
    }

    fn log_admin(&mut self, at_ms: i64, actor: &str, action: &str, detail: &str) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO admin_log (at_ms, actor, action, detail) VALUES (?1, ?2, ?3, ?4)",
            params![at_ms, actor, action, detail],
        )?;
        Ok(())
    }

    fn admin_log(&mut self) -> Result<Vec<AdminLogEntry>, StoreError> {
        let rows = self
            .tx
            .prepare_cached("SELECT seq, at_ms, actor, action, detail FROM admin_log ORDER BY seq")?
            .query_map([], |r| {
                Ok(AdminLogEntry {
                    seq: r.get(0)?,
                    at_ms: r.get(1)?,
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    detail: r.get(4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    fn lock_doc(&mut self, id: &DocId) -> Result<Option<StoredDoc>, StoreError> {
        self.read_doc(id)
    }

    fn lock_meta(&mut self, id: &DocId) -> Result<Option<DocMeta>, StoreError> {
        self.doc_meta(id)
    }

    fn doc_chunks(&mut self, id: &DocId) -> Result<Vec<Vec<u8>>, StoreError> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT bytes FROM doc_chunks WHERE doc_id = ?1 ORDER BY n")?;
        let chunks = stmt
            .query_map([id.as_slice()], |row| row.get::<_, Vec<u8>>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(chunks)
    }

    fn read_doc(&mut self, id: &DocId) -> Result<Option<StoredDoc>, StoreError> {
        let Some(meta) = self.doc_meta(id)? else {
            return Ok(None);
        };
        let chunks = self.doc_chunks(id)?;
        Ok(Some(StoredDoc { meta, chunks }))
    }

    fn doc_meta(&mut self, id: &DocId) -> Result<Option<DocMeta>, StoreError> {
        let row: Option<(String, i64, Vec<u8>, i64)> = self
            .tx
            .prepare_cached("SELECT owner, seq, heads, chunk_count FROM docs WHERE id = ?1")?
            .query_row([id.as_slice()], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .optional()?;
        let Some((owner, seq, heads, chunk_count)) = row else {
            return Ok(None);
        };
        Ok(Some(DocMeta {
            owner,
            seq: to_u64(seq)?,
            heads: heads_from_bytes(&heads)?,
            chunk_count: u32::try_from(chunk_count)
                .map_err(|_| StoreError::Inconsistent("a negative chunk count".into()))?,
        }))
    }

    fn write_doc(&mut self, id: &DocId, meta: &DocMeta, write: DocWrite<'_>) -> Result<(), StoreError> {
        let (seq, heads) = (to_i64(meta.seq)?, heads_to_bytes(&meta.heads));
        match write {
            DocWrite::Create(snapshot) => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO docs (id, owner, seq, heads, chunk_count) VALUES (?1, ?2, ?3, ?4, 1)",
                    )?
                    .execute(params![id.as_slice(), meta.owner, seq, heads])?;
                self.insert_chunk(id, 0, snapshot)
            }
            DocWrite::Append(chunk) => {
                self.update_row(id, seq, &heads, meta.chunk_count)?;
                self.insert_chunk(id, meta.chunk_count.saturating_sub(1), chunk)
            }
            DocWrite::Compact(snapshot) => {
                self.update_row(id, seq, &heads, 1)?;
                self.tx
                    .execute("DELETE FROM doc_chunks WHERE doc_id = ?1", [id.as_slice()])?;
                self.insert_chunk(id, 0, snapshot)
            }
        }
    }

    fn take_seqs(&mut self, n: u32) -> Result<u64, StoreError> {
        let last: i64 = self
            .tx
            .prepare_cached("UPDATE counters SET value = value + ?1 WHERE name = 'seq' RETURNING value")?
            .query_row([n], |row| row.get(0))?;
        first_of(to_u64(last)?, n)
    }

    fn insert_event(&mut self, rep_id: &str, e: &WireEvent, now_ms: i64) -> Result<bool, StoreError> {
        let inserted = self
            .tx
            .prepare_cached(&INSERT_ONE_EVENT)?
            .execute(params_from_iter(event_params(rep_id, e, now_ms)))?;
        Ok(inserted == 1)
    }

    fn insert_events(&mut self, rep_id: &str, events: &[WireEvent], now_ms: i64) -> Result<(), StoreError> {
        // Whole batches as one statement (one step instead of EVENT_BATCH), the rest one by one.
        let mut batches = events.chunks_exact(EVENT_BATCH);
        if batches.len() > 0 {
            let mut stmt = self.tx.prepare_cached(&INSERT_EVENT_BATCH)?;
            for batch in batches.by_ref() {
                stmt.execute(params_from_iter(
                    batch.iter().flat_map(|e| event_params(rep_id, e, now_ms)),
                ))?;
            }
        }
        for event in batches.remainder() {
            self.insert_event(rep_id, event, now_ms)?;
        }
        Ok(())
    }

    fn count_events(&mut self, rep_id: &str) -> Result<u64, StoreError> {
        let n: i64 = self
            .tx
            .query_row("SELECT count(*) FROM events WHERE rep_id = ?1", [rep_id], |row| {
                row.get(0)
            })?;
        to_u64(n)
    }

    fn count_all_events(&mut self) -> Result<u64, StoreError> {
        let n: i64 = self
            .tx
            .query_row("SELECT count(*) FROM events", [], |row| row.get(0))?;
        to_u64(n)
    }

    fn events_since(&mut self, from_ms: i64) -> Result<Vec<StoredEvent>, StoreError> {
        read_events(
            self.tx,
            "SELECT rep_id, id, kind, occurred_at_ms, card_id, material_id, material_version, verification,
                    visit_id
             FROM events WHERE occurred_at_ms >= ?1 ORDER BY occurred_at_ms, id",
            [from_ms],
        )
    }

    fn feed(&mut self, reps: &[String], after: u64) -> Result<Vec<FeedRow>, StoreError> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT id, seq, heads FROM docs
             WHERE owner IN (SELECT value FROM json_each(?1)) AND seq > ?2 ORDER BY seq",
        )?;
        let rows = stmt
            .query_map(
                params![reps_to_json(reps), i64::try_from(after).unwrap_or(i64::MAX)],
                |row| {
                    Ok((
                        row.get::<_, Vec<u8>>(0)?,
                        row.get::<_, i64>(1)?,
                        row.get::<_, Vec<u8>>(2)?,
                    ))
                },
            )?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(id, seq, heads)| {
                Ok(FeedRow {
                    id: doc_id(&id)?,
                    seq: to_u64(seq)?,
                    heads: heads_from_bytes(&heads)?,
                })
            })
            .collect()
    }

    fn json_doc(&mut self, name: JsonDoc) -> Result<Option<Versioned>, StoreError> {
        let row: Option<(i64, String)> = self
            .tx
            .prepare_cached("SELECT version, json FROM json_docs WHERE name = ?1")?
            .query_row([name.as_str()], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        row.map(|(version, json)| {
            Ok(Versioned {
                version: to_u64(version)?,
                json,
            })
        })
        .transpose()
    }

    fn put_json_doc(&mut self, name: JsonDoc, json: &str) -> Result<u64, StoreError> {
        let version: i64 = self.tx.query_row(
            "INSERT INTO json_docs (name, version, json) VALUES (?1, 1, ?2)
             ON CONFLICT (name) DO UPDATE SET version = version + 1, json = excluded.json RETURNING version",
            params![name.as_str(), json],
            |row| row.get(0),
        )?;
        to_u64(version)
    }

    fn put_content(&mut self, content: &VerifiedContent, now_ms: i64) -> Result<bool, StoreError> {
        let added = self.tx.execute(
            "INSERT INTO content (sha256, size, bytes, added_at_ms) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (sha256) DO NOTHING",
            params![
                content.hash().as_bytes().as_slice(),
                to_i64(content.size())?,
                content.bytes(),
                now_ms
            ],
        )?;
        Ok(added == 1)
    }

    fn content_size(&mut self, hash: &ContentHash) -> Result<Option<u64>, StoreError> {
        let size: Option<i64> = self
            .tx
            .query_row(
                "SELECT size FROM content WHERE sha256 = ?1",
                [hash.as_bytes().as_slice()],
                |row| row.get(0),
            )
            .optional()?;
        size.map(to_u64).transpose()
    }

    fn content_range(
        &mut self,
        hash: &ContentHash,
        start: u64,
        len: u64,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        // substr() counts bytes on a BLOB, from 1.
        Ok(self
            .tx
            .query_row(
                "SELECT substr(bytes, ?2, ?3) FROM content WHERE sha256 = ?1",
                params![hash.as_bytes().as_slice(), to_i64(start)? + 1, to_i64(len)?],
                |row| row.get::<_, Option<Vec<u8>>>(0),
            )
            .optional()?
            .map(Option::unwrap_or_default))
    }

    fn content_list(&mut self) -> Result<Vec<(ContentHash, u64)>, StoreError> {
        let mut stmt = self
            .tx
            .prepare("SELECT sha256, size FROM content ORDER BY sha256")?;
        let rows = stmt.query_map([], |row| Ok((row.get::<_, Vec<u8>>(0)?, row.get::<_, i64>(1)?)))?;
        rows.map(|row| {
            let (hash, size) = row?;
            Ok((content_hash(&hash)?, to_u64(size)?))
        })
        .collect()
    }

    fn delete_content(&mut self, hash: &ContentHash) -> Result<bool, StoreError> {
        let deleted = self.tx.execute(
            "DELETE FROM content WHERE sha256 = ?1",
            [hash.as_bytes().as_slice()],
        )?;
        Ok(deleted == 1)
    }
}

/// How many events one multi-row insert stores.
const EVENT_BATCH: usize = 25;
/// The inserts of one event and of [`EVENT_BATCH`] events, written once (the statement cache is keyed by text).
static INSERT_ONE_EVENT: LazyLock<String> = LazyLock::new(|| insert_events_sql(1));
static INSERT_EVENT_BATCH: LazyLock<String> = LazyLock::new(|| insert_events_sql(EVENT_BATCH));

/// The insert of `rows` events, skipping ids already stored.
/// Runs `sql`, which selects rep_id, id, kind, occurred_at_ms, card_id, material_id, material_version,
/// verification and visit_id of events, and reads the rows.
pub(super) fn read_events(
    tx: &Transaction<'_>,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<StoredEvent>, StoreError> {
    let mut stmt = tx.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, Vec<u8>>(1)?,
            WireEvent {
                id: [0; 16],
                kind: row.get(2)?,
                occurred_at_ms: row.get(3)?,
                card_id: row.get(4)?,
                material_id: row.get(5)?,
                material_version: row.get(6)?,
                verification: row.get(7)?,
                visit_id: row.get(8)?,
            },
        ))
    })?;
    rows.map(|row| {
        let (rep_id, id, mut event) = row?;
        event.id = doc_id(&id)?;
        Ok(StoredEvent { rep_id, event })
    })
    .collect()
}

fn insert_events_sql(rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|r| {
            let p: Vec<String> = (1..=10).map(|c| format!("?{}", r * 10 + c)).collect();
            format!("({})", p.join(", "))
        })
        .collect();
    format!(
        "INSERT INTO events (id, rep_id, kind, occurred_at_ms, card_id, material_id, material_version,
                             verification, visit_id, received_at_ms)
         VALUES {} ON CONFLICT (id) DO NOTHING",
        values.join(", ")
    )
}

/// The ten values of an event's row, in [`insert_events_sql`]'s column order (borrowed, not copied).
fn event_params<'a>(rep_id: &'a str, e: &'a WireEvent, now_ms: i64) -> [ToSqlOutput<'a>; 10] {
    let borrowed = |value: ValueRef<'a>| ToSqlOutput::Borrowed(value);
    let text = |s: &'a Option<String>| {
        s.as_deref()
            .map_or(ValueRef::Null, |s| ValueRef::Text(s.as_bytes()))
    };
    let int = |n: i64| ToSqlOutput::Owned(Value::Integer(n));
    [
        borrowed(ValueRef::Blob(&e.id)),
        borrowed(ValueRef::Text(rep_id.as_bytes())),
        borrowed(ValueRef::Text(e.kind.as_bytes())),
        int(e.occurred_at_ms),
        borrowed(text(&e.card_id)),
        borrowed(text(&e.material_id)),
        e.material_version
            .map_or(ToSqlOutput::Owned(Value::Null), |v| int(i64::from(v))),
        borrowed(ValueRef::Text(e.verification.as_bytes())),
        borrowed(e.visit_id.as_deref().map_or(ValueRef::Null, ValueRef::Blob)),
        int(now_ms),
    ]
}

impl SqliteTx<'_> {
    fn update_row(&self, id: &DocId, seq: i64, heads: &[u8], chunk_count: u32) -> Result<(), StoreError> {
        let changed = self
            .tx
            .prepare_cached("UPDATE docs SET seq = ?2, heads = ?3, chunk_count = ?4 WHERE id = ?1")?
            .execute(params![id.as_slice(), seq, heads, chunk_count])?;
        if changed != 1 {
            return Err(StoreError::Inconsistent(
                "updated a document that is not stored".into(),
            ));
        }
        Ok(())
    }

    fn insert_chunk(&self, id: &DocId, n: u32, bytes: &[u8]) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("INSERT INTO doc_chunks (doc_id, n, bytes) VALUES (?1, ?2, ?3)")?
            .execute(params![id.as_slice(), n, bytes])?;
        Ok(())
    }
}
