//! [`Tx`] over one PostgreSQL transaction, each call run to completion on its connection's runtime, with the
//! connection's prepared statements.

use std::collections::HashMap;

use mrc_core::sync::wire::{DocId, Versioned, WireEvent};
use tokio::runtime::Runtime;
use tokio_postgres::{types::ToSql, Row, Statement, Transaction};

use super::{
    content_hash, doc_id, first_of, heads_from_bytes, heads_to_bytes, reps_to_json, to_i64, to_u64,
    token_from_row, DocMeta, DocWrite, FeedRow, JsonDoc, StoreError, StoredDoc, StoredEvent, Tx,
};
use crate::{
    content::{ContentHash, VerifiedContent},
    tokens::{token_id, AdminLogEntry, TokenInfo},
    Principal,
};

/// A token row (id, role, reps, its five times, the token it was rotated from) as [`TokenInfo`].
fn pg_token(row: &Row) -> Result<TokenInfo, StoreError> {
    let role: String = row.try_get(1)?;
    let reps: String = row.try_get(2)?;
    let times = [
        Some(row.try_get::<_, i64>(3)?),
        row.try_get(4)?,
        row.try_get(5)?,
        row.try_get(6)?,
        row.try_get(7)?,
    ];
    token_from_row(row.try_get(0)?, &role, &reps, times, row.try_get(8)?)
}

/// An event row (rep_id, id, kind, occurred_at_ms, card_id, material_id, material_version, verification,
/// visit_id) as [`StoredEvent`].
pub(super) fn pg_event(row: &Row) -> Result<StoredEvent, StoreError> {
    let version: Option<i64> = row.try_get(6)?;
    Ok(StoredEvent {
        rep_id: row.try_get(0)?,
        event: WireEvent {
            id: doc_id(row.try_get(1)?)?,
            kind: row.try_get(2)?,
            occurred_at_ms: row.try_get(3)?,
            card_id: row.try_get(4)?,
            material_id: row.try_get(5)?,
            material_version: version
                .map(u32::try_from)
                .transpose()
                .map_err(|_| StoreError::Inconsistent("a stored material version is out of range".into()))?,
            verification: row.try_get(7)?,
            visit_id: row.try_get(8)?,
        },
    })
}

/// One PostgreSQL transaction.
pub(super) struct PgTx<'a> {
    tx: Transaction<'a>,
    runtime: &'a Runtime,
    statements: &'a mut HashMap<&'static str, Statement>,
}

pub(super) type Params<'p> = [&'p (dyn ToSql + Sync)];

impl<'a> PgTx<'a> {
    pub(super) fn new(
        tx: Transaction<'a>,
        runtime: &'a Runtime,
        statements: &'a mut HashMap<&'static str, Statement>,
    ) -> PgTx<'a> {
        PgTx {
            tx,
            runtime,
            statements,
        }
    }

    pub(super) fn commit(self) -> Result<(), StoreError> {
        Ok(self.runtime.block_on(self.tx.commit())?)
    }

    /// The prepared statement of `sql`, prepared once per connection.
    fn statement(&mut self, sql: &'static str) -> Result<Statement, StoreError> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.runtime.block_on(self.tx.prepare(sql))?;
        self.statements.insert(sql, statement.clone());
        Ok(statement)
    }

    pub(super) fn query(&mut self, sql: &'static str, params: &Params<'_>) -> Result<Vec<Row>, StoreError> {
        let statement = self.statement(sql)?;
        Ok(self.runtime.block_on(self.tx.query(&statement, params))?)
    }

    pub(super) fn query_opt(
        &mut self,
        sql: &'static str,
        params: &Params<'_>,
    ) -> Result<Option<Row>, StoreError> {
        let statement = self.statement(sql)?;
        Ok(self.runtime.block_on(self.tx.query_opt(&statement, params))?)
    }

    pub(super) fn query_one(&mut self, sql: &'static str, params: &Params<'_>) -> Result<Row, StoreError> {
        let statement = self.statement(sql)?;
        Ok(self.runtime.block_on(self.tx.query_one(&statement, params))?)
    }

    pub(super) fn execute(&mut self, sql: &'static str, params: &Params<'_>) -> Result<u64, StoreError> {
        let statement = self.statement(sql)?;
        Ok(self.runtime.block_on(self.tx.execute(&statement, params))?)
    }

    fn meta(&mut self, sql: &'static str, id: &DocId) -> Result<Option<DocMeta>, StoreError> {
        let Some(row) = self.query_opt(sql, &[&id.as_slice()])? else {
            return Ok(None);
        };
        let chunk_count: i32 = row.try_get(3)?;
        Ok(Some(DocMeta {
            owner: row.try_get(0)?,
            seq: to_u64(row.try_get(1)?)?,
            heads: heads_from_bytes(row.try_get(2)?)?,
            chunk_count: u32::try_from(chunk_count)
                .map_err(|_| StoreError::Inconsistent("a negative chunk count".into()))?,
        }))
    }

    fn chunks(&mut self, id: &DocId) -> Result<Vec<Vec<u8>>, StoreError> {
        self.query(
            "SELECT bytes FROM doc_chunks WHERE doc_id = $1 ORDER BY n",
            &[&id.as_slice()],
        )?
        .iter()
        .map(|row| Ok(row.try_get::<_, Vec<u8>>(0)?))
        .collect()
    }

    fn update_row(&mut self, id: &DocId, seq: i64, heads: &[u8], chunk_count: u32) -> Result<(), StoreError> {
        let count =
            i32::try_from(chunk_count).map_err(|_| StoreError::Inconsistent("too many chunks".into()))?;
        let changed = self.execute(
            "UPDATE docs SET seq = $2, heads = $3, chunk_count = $4 WHERE id = $1",
            &[&id.as_slice(), &seq, &heads, &count],
        )?;
        if changed != 1 {
            return Err(StoreError::Inconsistent(
                "updated a document that is not stored".into(),
            ));
        }
        Ok(())
    }

    fn insert_chunk(&mut self, id: &DocId, n: u32, bytes: &[u8]) -> Result<(), StoreError> {
        let n = i32::try_from(n).map_err(|_| StoreError::Inconsistent("too many chunks".into()))?;
        self.execute(
            "INSERT INTO doc_chunks (doc_id, n, bytes) VALUES ($1, $2, $3)",
            &[&id.as_slice(), &n, &bytes],
        )?;
        Ok(())
    }
}

const META: &str = "SELECT owner, seq, heads, chunk_count FROM docs WHERE id = $1";
const META_LOCKED: &str = "SELECT owner, seq, heads, chunk_count FROM docs WHERE id = $1 FOR UPDATE";

impl Tx for PgTx<'_> {
    fn token(&mut self, token_hash: &[u8; 32]) -> Result<Option<TokenInfo>, StoreError> {
        let row = self.query_opt(
            "SELECT id, role, reps, created_at_ms, expires_at_ms, revoked_at_ms, last_seen_ms, replaced_at_ms,
                    rotated_from
             FROM tokens WHERE hash = $1",
            &[&token_hash.as_slice()],
        )?;
        row.map(|row| pg_token(&row)).transpose()
    }

    fn mark_replaced(&mut self, id: &str, now_ms: i64) -> Result<(), StoreError> {
        self.execute(
            "UPDATE tokens SET replaced_at_ms = coalesce(replaced_at_ms, $2) WHERE id = $1",
            &[&id, &now_ms],
        )?;
        Ok(())
    }

    fn replace_unused_successors(&mut self, of: &str, now_ms: i64) -> Result<(), StoreError> {
        self.execute(
            "UPDATE tokens SET replaced_at_ms = $2
             WHERE rotated_from = $1 AND last_seen_ms IS NULL AND replaced_at_ms IS NULL",
            &[&of, &now_ms],
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
        self.execute(
            "INSERT INTO tokens (hash, role, reps, created_at_ms, id, expires_at_ms, rotated_from)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &token_hash.as_slice(),
                &principal.role.as_str(),
                &reps_to_json(&principal.reps),
                &now_ms,
                &token_id(token_hash),
                &expires_at_ms,
                &rotated_from,
            ],
        )?;
        Ok(())
    }

    fn tokens(&mut self) -> Result<Vec<TokenInfo>, StoreError> {
        let rows = self.query(
            "SELECT id, role, reps, created_at_ms, expires_at_ms, revoked_at_ms, last_seen_ms, replaced_at_ms,
                    rotated_from
             FROM tokens ORDER BY created_at_ms, id",
            &[],
        )?;
        rows.iter().map(pg_token).collect()
    }

    fn revoke_token(&mut self, id: &str, now_ms: i64) -> Result<bool, StoreError> {
        let changed = self.execute(
            "UPDATE tokens SET revoked_at_ms = coalesce(revoked_at_ms, $2) WHERE id = $1",
            &[&id, &now_ms],
        )?;
        Ok(changed > 0)
    }

    fn touch_token(&mut self, token_hash: &[u8; 32], now_ms: i64) -> Result<(), StoreError> {
        self.execute(
            "UPDATE tokens SET last_seen_ms = greatest(coalesce(last_seen_ms, 0), $2) WHERE hash = $1",
            &[&token_hash.as_slice(), &now_ms],
        )?;
        Ok(())
    }

    fn log_admin(&mut self, at_ms: i64, actor: &str, action: &str, detail: &str) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO admin_log (at_ms, actor, action, detail) VALUES ($1, $2, $3, $4)",
            &[&at_ms, &actor, &action, &detail],
        )?;
        Ok(())
    }

    fn admin_log(&mut self) -> Result<Vec<AdminLogEntry>, StoreError> {
        let rows = self.query(
            "SELECT seq, at_ms, actor, action, detail FROM admin_log ORDER BY seq",
            &[],
        )?;
        rows.iter()
            .map(|r| {
                Ok(AdminLogEntry {
                    seq: r.try_get(0)?,
                    at_ms: r.try_get(1)?,
                    actor: r.try_get(2)?,
                    action: r.try_get(3)?,
                    detail: r.try_get(4)?,
                })
            })
            .collect()
    }

    fn lock_doc(&mut self, id: &DocId) -> Result<Option<StoredDoc>, StoreError> {
        // The row lock is the per-document lock: held until this transaction ends.
        let Some(meta) = self.meta(META_LOCKED, id)? else {
            return Ok(None);
        };
        Ok(Some(StoredDoc {
            meta,
            chunks: self.chunks(id)?,
        }))
    }

    fn lock_meta(&mut self, id: &DocId) -> Result<Option<DocMeta>, StoreError> {
        // The row lock is the per-document lock: held until this transaction ends.
        self.meta(META_LOCKED, id)
    }

    fn doc_chunks(&mut self, id: &DocId) -> Result<Vec<Vec<u8>>, StoreError> {
        self.chunks(id)
    }

    fn read_doc(&mut self, id: &DocId) -> Result<Option<StoredDoc>, StoreError> {
        let Some(meta) = self.meta(META, id)? else {
            return Ok(None);
        };
        Ok(Some(StoredDoc {
            meta,
            chunks: self.chunks(id)?,
        }))
    }

    fn doc_meta(&mut self, id: &DocId) -> Result<Option<DocMeta>, StoreError> {
        self.meta(META, id)
    }

    fn write_doc(&mut self, id: &DocId, meta: &DocMeta, write: DocWrite<'_>) -> Result<(), StoreError> {
        let (seq, heads) = (to_i64(meta.seq)?, heads_to_bytes(&meta.heads));
        match write {
            DocWrite::Create(snapshot) => {
                // A plain INSERT: if another server created the visit meanwhile, the unique violation makes the
                // whole transaction run again, and then it merges into that document.
                self.execute(
                    "INSERT INTO docs (id, owner, seq, heads, chunk_count) VALUES ($1, $2, $3, $4, 1)",
                    &[&id.as_slice(), &meta.owner, &seq, &heads],
                )?;
                self.insert_chunk(id, 0, snapshot)
            }
            DocWrite::Append(chunk) => {
                self.update_row(id, seq, &heads, meta.chunk_count)?;
                self.insert_chunk(id, meta.chunk_count.saturating_sub(1), chunk)
            }
            DocWrite::Compact(snapshot) => {
                self.update_row(id, seq, &heads, 1)?;
                self.execute("DELETE FROM doc_chunks WHERE doc_id = $1", &[&id.as_slice()])?;
                self.insert_chunk(id, 0, snapshot)
            }
        }
    }

    fn take_seqs(&mut self, n: u32) -> Result<u64, StoreError> {
        let row = self.query_one(
            "UPDATE counters SET value = value + $1 WHERE name = 'seq' RETURNING value",
            &[&i64::from(n)],
        )?;
        first_of(to_u64(row.try_get(0)?)?, n)
    }

    fn insert_event(&mut self, rep_id: &str, e: &WireEvent, now_ms: i64) -> Result<bool, StoreError> {
        let version = e.material_version.map(i64::from);
        let inserted = self.execute(
            "INSERT INTO events (id, rep_id, kind, occurred_at_ms, card_id, material_id, material_version,
                                 verification, visit_id, received_at_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING",
            &[
                &e.id.as_slice(),
                &rep_id,
                &e.kind,
                &e.occurred_at_ms,
                &e.card_id,
                &e.material_id,
                &version,
                &e.verification,
                &e.visit_id,
                &now_ms,
            ],
        )?;
        Ok(inserted == 1)
    }

    fn count_events(&mut self, rep_id: &str) -> Result<u64, StoreError> {
        let row = self.query_one("SELECT count(*) FROM events WHERE rep_id = $1", &[&rep_id])?;
        to_u64(row.try_get(0)?)
    }

    fn count_all_events(&mut self) -> Result<u64, StoreError> {
        let row = self.query_one("SELECT count(*) FROM events", &[])?;
        to_u64(row.try_get(0)?)
    }

    fn events_since(&mut self, from_ms: i64) -> Result<Vec<StoredEvent>, StoreError> {
        let rows = self.query(
            "SELECT rep_id, id, kind, occurred_at_ms, card_id, material_id, material_version, verification,
                    visit_id
             FROM events WHERE occurred_at_ms >= $1 ORDER BY occurred_at_ms, id",
            &[&from_ms],
        )?;
        rows.iter().map(pg_event).collect()
    }

    fn feed(&mut self, reps: &[String], after: u64) -> Result<Vec<FeedRow>, StoreError> {
        let rows = self.query(
            "SELECT id, seq, heads FROM docs WHERE owner = ANY($1) AND seq > $2 ORDER BY seq",
            &[&reps, &i64::try_from(after).unwrap_or(i64::MAX)],
        )?;
        rows.iter()
            .map(|row| {
                Ok(FeedRow {
                    id: doc_id(row.try_get(0)?)?,
                    seq: to_u64(row.try_get(1)?)?,
                    heads: heads_from_bytes(row.try_get(2)?)?,
                })
            })
            .collect()
    }

    fn json_doc(&mut self, name: JsonDoc) -> Result<Option<Versioned>, StoreError> {
        let row = self.query_opt(
            "SELECT version, json FROM json_docs WHERE name = $1",
            &[&name.as_str()],
        )?;
        row.map(|row| {
            Ok(Versioned {
                version: to_u64(row.try_get(0)?)?,
                json: row.try_get(1)?,
            })
        })
        .transpose()
    }

    fn put_json_doc(&mut self, name: JsonDoc, json: &str) -> Result<u64, StoreError> {
        let row = self.query_one(
            "INSERT INTO json_docs (name, version, json) VALUES ($1, 1, $2)
             ON CONFLICT (name) DO UPDATE SET version = json_docs.version + 1, json = excluded.json
             RETURNING version",
            &[&name.as_str(), &json],
        )?;
        to_u64(row.try_get(0)?)
    }

    fn put_content(&mut self, content: &VerifiedContent, now_ms: i64) -> Result<bool, StoreError> {
        let added = self.execute(
            "INSERT INTO content (sha256, size, bytes, added_at_ms) VALUES ($1, $2, $3, $4)
             ON CONFLICT (sha256) DO NOTHING",
            &[
                &content.hash().as_bytes().as_slice(),
                &to_i64(content.size())?,
                &content.bytes(),
                &now_ms,
            ],
        )?;
        Ok(added == 1)
    }

    fn content_size(&mut self, hash: &ContentHash) -> Result<Option<u64>, StoreError> {
        let row = self.query_opt(
            "SELECT size FROM content WHERE sha256 = $1",
            &[&hash.as_bytes().as_slice()],
        )?;
        row.map(|row| to_u64(row.try_get(0)?)).transpose()
    }

    fn content_range(
        &mut self,
        hash: &ContentHash,
        start: u64,
        len: u64,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        // bytea substring counts from 1 in int4; a bytea holds at most 1 GB, so larger offsets read nothing.
        let from = i32::try_from(start.saturating_add(1)).unwrap_or(i32::MAX);
        let count = i32::try_from(len).unwrap_or(i32::MAX);
        let row = self.query_opt(
            "SELECT substring(bytes FROM $2 FOR $3) FROM content WHERE sha256 = $1",
            &[&hash.as_bytes().as_slice(), &from, &count],
        )?;
        row.map(|row| Ok(row.try_get::<_, Vec<u8>>(0)?)).transpose()
    }

    fn content_list(&mut self) -> Result<Vec<(ContentHash, u64)>, StoreError> {
        self.query("SELECT sha256, size FROM content ORDER BY sha256", &[])?
            .iter()
            .map(|row| Ok((content_hash(row.try_get(0)?)?, to_u64(row.try_get(1)?)?)))
            .collect()
    }

    fn delete_content(&mut self, hash: &ContentHash) -> Result<bool, StoreError> {
        let deleted = self.execute(
            "DELETE FROM content WHERE sha256 = $1",
            &[&hash.as_bytes().as_slice()],
        )?;
        Ok(deleted == 1)
    }
}
