//! Server storage: the [`ServerStore`] trait, run as one transaction of [`Tx`] calls, and its two implementations.
//!
//! The exchange logic (`crate::exchange`) is written once against [`Tx`]; SQLite and PostgreSQL pass the same
//! contract suite (`server/tests/contract`). A document is stored as a compacted snapshot followed by incremental
//! chunks; its row also holds its owner (rep id), its heads and the sequence number of its last change, so the
//! feed never loads documents.

mod error;
pub mod history;
pub mod insights;
mod postgres;
mod postgres_history;
mod postgres_insights;
mod postgres_tx;
mod postgres_verdicts;
mod sqlite;
mod sqlite_history;
mod sqlite_insights;
mod sqlite_tx;
mod sqlite_verdicts;
pub mod verdicts;
mod wal_sync;

use std::{path::PathBuf, sync::Arc};

use mrc_core::sync::wire::{DocId, Versioned, WireEvent};

pub use error::StoreError;
pub use history::HistoryTx;
pub use insights::InsightTx;
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;
pub use verdicts::{
    Claim, CodeVisits, EngagementCount, RepTally, ScoreCount, VerdictFilter, VerdictTx, VisitVerdict,
    QUARTER_HOUR_MS,
};

use crate::{
    content::{ContentHash, VerifiedContent},
    tokens::{AdminLogEntry, TokenInfo},
    Principal, ServerError,
};

/// Whether a transaction writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// A consistent read-only snapshot.
    Read,
    /// A read-only snapshot whose results only feed a write transaction that follows (a sync's merge): unlike
    /// [`Access::Read`] it does not wait for other requests' commits to reach the disk (the write waits for them).
    Merge,
    /// A write transaction (documents are locked one by one with [`Tx::lock_doc`]).
    Write,
}

/// A server storage backend.
pub trait ServerStore: Send + Sync {
    /// Runs `f` in one transaction, committed only when `f` returns `Ok`. `f` may run again when the database
    /// asks for a retry (a deadlock, a serialization failure, a concurrent insert of the same document).
    fn run(
        &self,
        access: Access,
        f: &mut dyn FnMut(&mut dyn Tx) -> Result<(), ServerError>,
    ) -> Result<(), ServerError>;

    /// `"sqlite"` or `"postgres"`, for logs.
    fn kind(&self) -> &'static str;
}

/// Runs `f` in one transaction of `store` and returns its result (see [`ServerStore::run`]).
pub fn transact<T>(
    store: &dyn ServerStore,
    access: Access,
    mut f: impl FnMut(&mut dyn Tx) -> Result<T, ServerError>,
) -> Result<T, ServerError> {
    let mut out = None;
    store.run(access, &mut |tx| {
        out = Some(f(tx)?);
        Ok(())
    })?;
    out.ok_or_else(|| ServerError::Internal("a transaction ended without a result".into()))
}

/// The operations of one transaction (the audit's stored verdicts: [`VerdictTx`]; the server's identity and
/// history: [`HistoryTx`]; doctor insights for head office: [`InsightTx`]).
pub trait Tx: VerdictTx + HistoryTx + InsightTx {
    /// A stored token, by the token's SHA-256 (revoked and expired ones too: `tokens::admit` decides).
    fn token(&mut self, token_hash: &[u8; 32]) -> Result<Option<TokenInfo>, StoreError>;
    /// Retires the token with public id `id`: a newer token from its rotation was used (keeps the first time).
    fn mark_replaced(&mut self, id: &str, now_ms: i64) -> Result<(), StoreError>;
    /// Retires the successors of `of` that were never used (an earlier rotation whose answer was lost).
    fn replace_unused_successors(&mut self, of: &str, now_ms: i64) -> Result<(), StoreError>;
    /// Stores a token's hash, public id and principal, valid until `expires_at_ms` if given, rotated from the
    /// token `rotated_from` if it came from a rotation.
    fn add_token(
        &mut self,
        token_hash: &[u8; 32],
        principal: &Principal,
        now_ms: i64,
        expires_at_ms: Option<i64>,
        rotated_from: Option<&str>,
    ) -> Result<(), StoreError>;
    /// Every stored token, oldest first.
    fn tokens(&mut self) -> Result<Vec<TokenInfo>, StoreError>;
    /// Revokes the token with public id `id` (keeping the first revocation time). Whether such a token exists.
    fn revoke_token(&mut self, id: &str, now_ms: i64) -> Result<bool, StoreError>;
    /// Records that the token was used at `now_ms`.
    fn touch_token(&mut self, token_hash: &[u8; 32], now_ms: i64) -> Result<(), StoreError>;
    /// Appends an admin action to the append-only log.
    fn log_admin(&mut self, at_ms: i64, actor: &str, action: &str, detail: &str) -> Result<(), StoreError>;
    /// The admin log, oldest first.
    fn admin_log(&mut self) -> Result<Vec<AdminLogEntry>, StoreError>;
    /// A stored document, locked against other writers until the transaction ends.
    fn lock_doc(&mut self, id: &DocId) -> Result<Option<StoredDoc>, StoreError>;
    /// The row of a stored document, locked against other writers until the transaction ends.
    fn lock_meta(&mut self, id: &DocId) -> Result<Option<DocMeta>, StoreError>;
    /// The chunks of a stored document, in order.
    fn doc_chunks(&mut self, id: &DocId) -> Result<Vec<Vec<u8>>, StoreError>;
    /// A stored document, without a lock.
    fn read_doc(&mut self, id: &DocId) -> Result<Option<StoredDoc>, StoreError>;
    /// The metadata of a stored document (no chunks).
    fn doc_meta(&mut self, id: &DocId) -> Result<Option<DocMeta>, StoreError>;
    /// Writes a document: its row and its chunks as [`DocWrite`] says.
    fn write_doc(&mut self, id: &DocId, meta: &DocMeta, write: DocWrite<'_>) -> Result<(), StoreError>;
    /// Takes the next `n` server-wide change sequence numbers and returns the first. Writers hold the counter
    /// until they commit, so committed numbers have no gaps that fill in later (a reader's cursor never skips a
    /// change).
    fn take_seqs(&mut self, n: u32) -> Result<u64, StoreError>;
    /// Stores an engagement event of `rep_id` unless one with its id exists. Returns whether it was new.
    fn insert_event(&mut self, rep_id: &str, event: &WireEvent, now_ms: i64) -> Result<bool, StoreError>;
    /// Stores engagement events of `rep_id`, each unless one with its id exists.
    fn insert_events(&mut self, rep_id: &str, events: &[WireEvent], now_ms: i64) -> Result<(), StoreError> {
        for event in events {
            self.insert_event(rep_id, event, now_ms)?;
        }
        Ok(())
    }
    /// How many events of `rep_id` are stored.
    fn count_events(&mut self, rep_id: &str) -> Result<u64, StoreError>;
    /// How many events are stored, of every rep and the web.
    fn count_all_events(&mut self) -> Result<u64, StoreError>;
    /// Every engagement event that occurred at or after `from_ms`, oldest first (for the head-office view).
    fn events_since(&mut self, from_ms: i64) -> Result<Vec<StoredEvent>, StoreError>;
    /// Documents owned by one of `reps` with a sequence number above `after`, in sequence order.
    fn feed(&mut self, reps: &[String], after: u64) -> Result<Vec<FeedRow>, StoreError>;
    /// The current master data or rule settings.
    fn json_doc(&mut self, name: JsonDoc) -> Result<Option<Versioned>, StoreError>;
    /// Replaces the master data or rule settings; returns the new version (one more than the last).
    fn put_json_doc(&mut self, name: JsonDoc, json: &str) -> Result<u64, StoreError>;
    /// Stores a content file under its hash unless it is already stored. Returns whether it was new.
    fn put_content(&mut self, content: &VerifiedContent, now_ms: i64) -> Result<bool, StoreError>;
    /// The size of a stored content file.
    fn content_size(&mut self, hash: &ContentHash) -> Result<Option<u64>, StoreError>;
    /// Up to `len` bytes of a stored content file from byte `start` (fewer at its end).
    fn content_range(
        &mut self,
        hash: &ContentHash,
        start: u64,
        len: u64,
    ) -> Result<Option<Vec<u8>>, StoreError>;
    /// Every stored content file: its hash and size, in hash order.
    fn content_list(&mut self) -> Result<Vec<(ContentHash, u64)>, StoreError>;
    /// Deletes a stored content file. Returns whether it was there.
    fn delete_content(&mut self, hash: &ContentHash) -> Result<bool, StoreError>;
}

/// A document's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocMeta {
    /// The rep the visit belongs to.
    pub owner: String,
    /// The sequence number of its last change.
    pub seq: u64,
    /// Its heads, sorted.
    pub heads: Vec<[u8; 32]>,
    /// How many chunks hold it (a snapshot and the increments after it).
    pub chunk_count: u32,
}

/// A stored document: its row and its chunks in order.
#[derive(Debug, Clone)]
pub struct StoredDoc {
    pub meta: DocMeta,
    pub chunks: Vec<Vec<u8>>,
}

/// How a document's bytes change.
#[derive(Debug, Clone, Copy)]
pub enum DocWrite<'a> {
    /// A new document: insert its row and this snapshot (fails if another writer created it meanwhile).
    Create(&'a [u8]),
    /// Append an incremental chunk as chunk number `meta.chunk_count - 1`.
    Append(&'a [u8]),
    /// Replace every chunk with this snapshot (`meta.chunk_count` is 1).
    Compact(&'a [u8]),
}

/// An engagement event as stored: whose it is and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    /// The rep whose device sent it (`web` for the landing page's).
    pub rep_id: String,
    pub event: WireEvent,
}

/// One row of the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedRow {
    pub id: DocId,
    pub seq: u64,
    pub heads: Vec<[u8; 32]>,
}

/// The two JSON documents the server hands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonDoc {
    Master,
    Rules,
}

mrc_core::text_enum!(JsonDoc { Master => "master", Rules => "rules" });

/// Where the server keeps its data.
#[derive(Debug, Clone)]
pub enum StoreConfig {
    /// `DIR/server.db`, created if missing.
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL (`postgresql://user:password@host:port/db`).
    Postgres(String),
}

/// Opens (creating or upgrading the schema) the store `config` names. Call it outside an async context.
pub fn open(config: &StoreConfig) -> Result<Arc<dyn ServerStore>, ServerError> {
    Ok(match config {
        StoreConfig::Sqlite(dir) => Arc::new(SqliteStore::open_dir(dir)?),
        StoreConfig::Postgres(url) => Arc::new(PostgresStore::connect(url)?),
    })
}

/// Heads as stored: the 32-byte hashes concatenated.
pub(crate) fn heads_to_bytes(heads: &[[u8; 32]]) -> Vec<u8> {
    heads.concat()
}

/// Reads stored heads.
pub(crate) fn heads_from_bytes(bytes: &[u8]) -> Result<Vec<[u8; 32]>, StoreError> {
    if bytes.len() % 32 != 0 {
        return Err(StoreError::Inconsistent(
            "stored heads are not a multiple of 32 bytes".into(),
        ));
    }
    Ok(bytes
        .chunks_exact(32)
        .map(|c| {
            let mut h = [0u8; 32];
            h.copy_from_slice(c);
            h
        })
        .collect())
}

/// The first of `n` sequence numbers ending at `last`.
pub(crate) fn first_of(last: u64, n: u32) -> Result<u64, StoreError> {
    (last + 1)
        .checked_sub(u64::from(n))
        .ok_or_else(|| StoreError::Inconsistent(format!("the sequence counter {last} is below {n}")))
}

/// Reads a stored 16-byte id.
pub(crate) fn doc_id(bytes: &[u8]) -> Result<DocId, StoreError> {
    DocId::try_from(bytes).map_err(|_| StoreError::Inconsistent("a stored visit id is not 16 bytes".into()))
}

/// Reads a stored 32-byte content hash.
pub(crate) fn content_hash(bytes: &[u8]) -> Result<ContentHash, StoreError> {
    <[u8; 32]>::try_from(bytes)
        .map(ContentHash)
        .map_err(|_| StoreError::Inconsistent("a stored content hash is not 32 bytes".into()))
}

/// A stored non-negative integer as u64.
pub(crate) fn to_u64(n: i64) -> Result<u64, StoreError> {
    u64::try_from(n).map_err(|_| StoreError::Inconsistent(format!("negative stored counter {n}")))
}

/// A u64 for a signed 64-bit column.
pub(crate) fn to_i64(n: u64) -> Result<i64, StoreError> {
    i64::try_from(n).map_err(|_| StoreError::Inconsistent(format!("counter {n} does not fit 63 bits")))
}

/// A principal's reps as stored (a JSON array).
pub(crate) fn reps_to_json(reps: &[String]) -> String {
    serde_json::Value::from(reps.to_vec()).to_string()
}

/// A token row's fields: id, role, reps, created / expires / revoked / last seen / replaced (ms), and the
/// token it was rotated from.
pub(crate) fn token_from_row(
    id: Option<String>,
    role: &str,
    reps: &str,
    times: [Option<i64>; 5],
    rotated_from: Option<String>,
) -> Result<TokenInfo, StoreError> {
    let principal = principal_from_row(role, reps)?;
    Ok(TokenInfo::new(
        id.unwrap_or_default(),
        principal,
        times,
        rotated_from,
    ))
}

/// Reads a stored token row.
pub(crate) fn principal_from_row(role: &str, reps: &str) -> Result<Principal, StoreError> {
    let role = crate::Role::parse(role)
        .ok_or_else(|| StoreError::Inconsistent(format!("unknown token role {role:?}")))?;
    let reps: Vec<String> = serde_json::from_str(reps)
        .map_err(|_| StoreError::Inconsistent("a token's reps are not a JSON array of text".into()))?;
    Ok(Principal { role, reps })
}
