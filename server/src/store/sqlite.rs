//! The embedded store: one SQLite file (`DIR/server.db`), WAL, one writer connection and a few readers.

use std::{
    path::{Path, PathBuf},
    sync::Mutex,
    time::Duration,
};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::{sqlite_tx::SqliteTx, wal_sync::WalSync, Access, ServerStore, StoreError, Tx};
use crate::ServerError;

/// Migration `n` (1-based) is `MIGRATIONS[n - 1]`; released entries never change.
const MIGRATIONS: &[&str] = &[
    include_str!("sql/sqlite_0001.sql"),
    include_str!("sql/sqlite_0002_content.sql"),
    include_str!("sql/sqlite_0003_token_lifecycle.sql"),
    include_str!("sql/sqlite_0004_token_rotation.sql"),
    include_str!("sql/sqlite_0005_verdicts.sql"),
    include_str!("sql/sqlite_0006_audit_model_graded.sql"),
    include_str!("sql/sqlite_0007_server_history.sql"),
    include_str!("sql/sqlite_0008_insights.sql"),
];
/// How many idle reader connections are kept.
const MAX_IDLE_READERS: usize = 16;
/// The database file inside the data directory.
pub const FILE_NAME: &str = "server.db";

/// The SQLite server store.
pub struct SqliteStore {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    /// Makes each commit durable before its request is answered (ADR 0017).
    wal: WalSync,
}

impl SqliteStore {
    /// Opens `dir/server.db`, creating the directory and the schema if needed.
    pub fn open_dir(dir: &Path) -> Result<SqliteStore, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        SqliteStore::open(&dir.join(FILE_NAME))
    }

    /// Opens (creating if needed) the database file `path`.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let mut conn = Connection::open(path)?;
        configure(&conn)?;
        let mode: String = conn.pragma_update_and_check(None, "journal_mode", "wal", |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Inconsistent(format!(
                "journal mode is {mode}, expected wal"
            )));
        }
        // No fsync inside the write lock; `write` and `read` return only once a group fsync of the WAL covers every
        // commit they wrote or saw (ADR 0017), so what the server answered survives a power loss too.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        migrate(&mut conn)?;
        Ok(SqliteStore {
            path: path.to_path_buf(),
            writer: Mutex::new(conn),
            readers: Mutex::new(Vec::new()),
            wal: WalSync::new(path),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A read transaction on a pooled connection; `durable`: return only once every commit it may have seen is on
    /// disk (ADR 0017).
    fn read(
        &self,
        durable: bool,
        f: &mut dyn FnMut(&mut dyn Tx) -> Result<(), ServerError>,
    ) -> Result<(), ServerError> {
        let pooled = self.readers.lock().map_err(|_| StoreError::Poisoned)?.pop();
        let mut conn = match pooled {
            Some(conn) => conn,
            None => open_reader(&self.path)?,
        };
        let result: Result<(), ServerError> = (|| {
            let tx = conn.transaction()?;
            f(&mut SqliteTx::new(&tx))?;
            tx.commit()?;
            Ok(())
        })();
        if let Ok(mut pool) = self.readers.lock() {
            if pool.len() < MAX_IDLE_READERS {
                pool.push(conn);
            }
        }
        result?;
        // What was read may include commits whose fsync is still running (a feed cursor, a pulled visit): hand
        // it out only once they are on disk, or a power loss could take back what a device was told.
        if durable {
            self.wal.wait_durable(self.wal.latest()?)?;
        }
        Ok(())
    }

    fn write(&self, f: &mut dyn FnMut(&mut dyn Tx) -> Result<(), ServerError>) -> Result<(), ServerError> {
        let commit = {
            let mut conn = self.writer.lock().map_err(|_| StoreError::Poisoned)?;
            // IMMEDIATE: take the write lock now, so the reads of this transaction see what it will write over.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            f(&mut SqliteTx::new(&tx))?;
            // Numbered before it commits, so a reader that sees the commit also sees its number (a failed commit
            // leaves a number with nothing behind it: waiting for it only costs an fsync).
            let commit = self.wal.committed()?;
            tx.commit()?;
            commit
        };
        // Outside the write lock: the next writers commit while this fsync runs, and share the one after it.
        Ok(self.wal.wait_durable(commit)?)
    }
}

impl ServerStore for SqliteStore {
    fn run(
        &self,
        access: Access,
        f: &mut dyn FnMut(&mut dyn Tx) -> Result<(), ServerError>,
    ) -> Result<(), ServerError> {
        match access {
            Access::Read => self.read(true, f),
            Access::Merge => self.read(false, f),
            Access::Write => self.write(f),
        }
    }

    fn kind(&self) -> &'static str {
        "sqlite"
    }
}

fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(())
}

fn open_reader(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
    )?;
    configure(&conn)?;
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let supported = MIGRATIONS.len() as i64;
    let found: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if found > supported {
        return Err(StoreError::TooNew { found, supported });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::JsonDoc;

    #[test]
    fn opens_twice_and_refuses_a_newer_schema() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        drop(SqliteStore::open_dir(&data).unwrap());
        let store = SqliteStore::open_dir(&data).unwrap();
        assert!(store.path().ends_with(FILE_NAME));
        drop(store);
        let conn = Connection::open(data.join(FILE_NAME)).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        assert!(matches!(
            SqliteStore::open_dir(&data),
            Err(StoreError::TooNew { found: 99, .. })
        ));
    }

    #[test]
    fn writes_and_reads_return_only_once_what_they_wrote_or_saw_is_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open_dir(&dir.path().join("データ")).unwrap();
        store
            .run(Access::Write, &mut |tx| {
                tx.put_json_doc(JsonDoc::Rules, r#"{"名前": "規則"}"#)?;
                Ok(())
            })
            .unwrap();
        let written = store.wal.latest().unwrap();
        assert!(written > 0 && store.wal.durable() >= written);
        // A commit numbered but not yet synced (another writer between its commit and its fsync): a read that
        // may have seen it returns only after it is on disk.
        let pending = store.wal.committed().unwrap();
        assert!(store.wal.durable() < pending);
        // A sync's merge reads without waiting (its write waits later)...
        store
            .run(Access::Merge, &mut |tx| {
                Ok(tx.json_doc(JsonDoc::Rules).map(drop)?)
            })
            .unwrap();
        assert!(store.wal.durable() < pending);
        // ...a read whose results are handed out waits.
        store
            .run(Access::Read, &mut |tx| {
                Ok(tx.json_doc(JsonDoc::Rules).map(drop)?)
            })
            .unwrap();
        assert!(store.wal.durable() >= pending);
    }

    #[test]
    fn a_version_1_database_gains_the_content_table() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        drop(conn);
        drop(SqliteStore::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
        let content: i64 = conn
            .query_row("SELECT count(*) FROM content", [], |row| row.get(0))
            .unwrap();
        assert_eq!(content, 0);
    }

    #[test]
    fn verdicts_of_the_previous_audit_model_are_judged_again_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let conn = Connection::open(&path).unwrap();
        for migration in &MIGRATIONS[..5] {
            conn.execute_batch(migration).unwrap();
        }
        conn.pragma_update(None, "user_version", 5).unwrap();
        drop(conn);
        let store = SqliteStore::open(&path).unwrap();
        let basis = |store: &SqliteStore| {
            let mut found = None;
            (store.run(Access::Read, &mut |tx| {
                found = Some((tx.verdict_basis()?, tx.basis_versions()?));
                Ok(())
            }))
            .unwrap();
            found.unwrap()
        };
        let (computed_with, current) = basis(&store);
        assert_ne!(
            computed_with, current,
            "stored verdicts are of the previous model"
        );
        let clock: mrc_core::clock::SharedClock =
            mrc_core::clock::FixedClock::new("2026-12-07T09:00:00Z".parse().unwrap());
        crate::verdicts::catch_up(&store, &clock).unwrap();
        let (computed_with, current) = basis(&store);
        assert_eq!(computed_with, current, "judged again with this build's model");
    }

    #[test]
    fn an_upgraded_database_gains_an_identity_and_a_history_starting_at_its_counter() {
        let history = |path: &Path| {
            let store = SqliteStore::open(path).unwrap();
            let mut found = None;
            (store.run(Access::Read, &mut |tx| {
                found = Some((tx.server_id()?, tx.chain_head()?, tx.chain_at(4)?));
                Ok(())
            }))
            .unwrap();
            found.unwrap()
        };
        let dir = tempfile::tempdir().unwrap();
        let mut seen = Vec::new();
        for name in ["一号.db", "二号.db"] {
            let path = dir.path().join(name);
            let conn = Connection::open(&path).unwrap();
            for migration in &MIGRATIONS[..6] {
                conn.execute_batch(migration).unwrap();
            }
            conn.execute("UPDATE counters SET value = 5 WHERE name = 'seq'", [])
                .unwrap();
            conn.pragma_update(None, "user_version", 6).unwrap();
            drop(conn);
            let (id, (head, chain), before) = history(&path);
            assert_eq!(head, 5, "the history starts where the feed was");
            assert_eq!(before, None);
            assert_eq!(history(&path), (id, (head, chain), None), "kept across opens");
            seen.push((id, chain));
        }
        assert_ne!(seen[0].0, seen[1].0, "two databases, two identities");
        assert_ne!(seen[0].1, seen[1].1, "and two chains");
    }
}
