//! The local SQLite store: one writer connection, a small pool of readers, WAL, foreign keys, migrations,
//! encrypted at rest when opened with a key (SQLCipher, ADR 0021).
//!
//! Callers never hold a connection: they pass a closure to [`Store::read`] or [`Store::write`]. Every write runs
//! in one transaction that commits only when the closure returns `Ok`.

mod encryption;
mod error;
mod key;
pub mod migrations;
mod recovery;

mod wipe;

use std::{
    path::{Path, PathBuf},
    sync::{
        atomic::{AtomicBool, Ordering},
        Mutex, MutexGuard,
    },
    time::Duration,
};

use rusqlite::{Connection, OpenFlags, Transaction};

pub use error::StoreError;
pub use key::StoreKey;
pub use recovery::is_corruption;

use crate::{
    clock::{self, SharedClock},
    visit::DocCache,
};

/// How many idle reader connections are kept open.
const MAX_IDLE_READERS: usize = 4;

/// WAL pages written before SQLite checkpoints on its own (4 KiB pages: ~40 MB).
const WAL_AUTOCHECKPOINT_PAGES: i64 = 10_000;

/// The settings key of this device's automerge actor id.
const ACTOR_KEY: &str = "device.actor_id";

/// What the writer connection owns: the connection and the visit documents it last touched.
pub(crate) struct Writer {
    pub(crate) conn: Connection,
    pub(crate) docs: DocCache,
}

/// An open local store.
pub struct Store {
    path: PathBuf,
    // Fields drop in order: the readers close before the writer, so the writer's close is the last one and
    // checkpoints the log into the file (a closed store is one file: copies, backups, encryption).
    readers: Mutex<Vec<Connection>>,
    writer: Mutex<Writer>,
    actor: automerge::ActorId,
    recovered: Option<PathBuf>,
    clock: SharedClock,
    /// The key every connection is opened with; `None` for a plain store.
    key: Option<StoreKey>,
    /// Set by [`Store::wipe`]: every later call is refused with [`StoreError::Wiped`].
    wiped: AtomicBool,
}

impl Store {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    ///
    /// A file that is not a readable SQLite database is moved aside next to it (never deleted: unsynced visits may
    /// be in it) and a new empty store is created; [`Store::recovered_from`] then tells where the old file went.
    pub fn open(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        Store::open_with_clock(path, clock::system())
    }

    /// [`Store::open`] with the clock every write stamps and every judgement of "now" reads.
    pub fn open_with_clock(path: impl AsRef<Path>, clock: SharedClock) -> Result<Store, StoreError> {
        Store::open_with(path, OpenOptions::new(clock))
    }

    /// Opens (creating if needed) the store at `path` with `options`.
    ///
    /// With a key, a new store is encrypted and a plain one is encrypted in place first (crash-safe, see
    /// [`Store::rekey`]); a key that does not open the file is [`StoreError::WrongKey`] and the file is left as it
    /// was. Without a key, a file that has the shape of an encrypted store is refused the same way; any other
    /// unreadable file is moved aside as [`Store::open`] says.
    pub fn open_with(path: impl AsRef<Path>, options: OpenOptions) -> Result<Store, StoreError> {
        let path = path.as_ref().to_path_buf();
        let OpenOptions { clock, key } = options;
        let mut recovered = None;
        if let Some(key) = &key {
            if encryption::has_plain_header(&path)? {
                match encryption::reencrypt(&path, None, key) {
                    Ok(()) => {}
                    Err(err) if is_corruption(&err) => {
                        recovered = Some(recovery::move_aside(&path, clock.now())?);
                    }
                    Err(err) => return Err(err),
                }
            }
        }
        match open_writer(&path, key.as_ref()) {
            Ok(conn) => Store::finish_open(path, conn, recovered, clock, key),
            Err(err) if is_not_a_database(&err) && (key.is_some() || encryption::looks_encrypted(&path)) => {
                Err(StoreError::WrongKey)
            }
            Err(err) if is_corruption(&err) => {
                let moved_to = recovery::move_aside(&path, clock.now())?;
                let conn = open_writer(&path, key.as_ref())?;
                Store::finish_open(path, conn, Some(moved_to), clock, key)
            }
            Err(err) => Err(err),
        }
    }

    /// Re-encrypts the closed store at `path` from `old` (`None`: a plain store) to `new`.
    ///
    /// The store is copied into `<file>.rekeying`, which is then renamed over the file: a process killed at any
    /// step leaves the old store (readable with `old`) or the new one (readable with `new`), whole. `old` not
    /// opening the store is [`StoreError::WrongKey`]; nothing is changed then.
    pub fn rekey(path: impl AsRef<Path>, old: Option<&StoreKey>, new: &StoreKey) -> Result<(), StoreError> {
        let path = path.as_ref();
        if !path.exists() {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::from(std::io::ErrorKind::NotFound),
            });
        }
        encryption::reencrypt(path, old, new)
    }

    fn finish_open(
        path: PathBuf,
        conn: Connection,
        recovered: Option<PathBuf>,
        clock: SharedClock,
        key: Option<StoreKey>,
    ) -> Result<Store, StoreError> {
        let actor = load_or_create_actor(&conn)?;
        Ok(Store {
            path,
            writer: Mutex::new(Writer {
                conn,
                docs: DocCache::default(),
            }),
            readers: Mutex::new(Vec::new()),
            actor,
            recovered,
            clock,
            key,
            wiped: AtomicBool::new(false),
        })
    }

    /// The clock this store stamps writes with.
    pub fn clock(&self) -> &SharedClock {
        &self.clock
    }

    /// The current instant by this store's clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where an unreadable database file found at open was moved, if that happened.
    pub fn recovered_from(&self) -> Option<&Path> {
        self.recovered.as_deref()
    }

    /// This device's stable automerge actor id (created once per store).
    pub fn actor(&self) -> &automerge::ActorId {
        &self.actor
    }

    /// Runs `f` with a reader connection inside one read transaction: every statement of `f` sees the same
    /// snapshot, whatever is committed meanwhile.
    pub fn read<T, E>(&self, f: impl FnOnce(&Connection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let conn = self.take_reader()?;
        // DEFERRED: the snapshot is taken at the first read and held until the end.
        conn.execute_batch("BEGIN DEFERRED").map_err(StoreError::from)?;
        let result = f(&conn);
        // A connection left inside a transaction is closed, not pooled.
        if conn.execute_batch("COMMIT").is_ok() {
            self.give_back_reader(conn);
        }
        result
    }

    /// Runs `f` in one write transaction, committed only if `f` returns `Ok`.
    pub fn write<T, E>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        self.write_with_docs(|tx, _docs| f(tx))
    }

    /// Like [`Store::write`], also lending the writer's visit-document cache.
    pub(crate) fn write_with_docs<T, E>(
        &self,
        f: impl FnOnce(&Transaction<'_>, &mut DocCache) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let mut writer = self.lock_writer()?;
        let Writer { conn, docs } = &mut *writer;
        let tx = conn.transaction().map_err(StoreError::from)?;
        match f(&tx, docs) {
            Ok(value) => {
                if let Err(err) = tx.commit() {
                    // The cache may now hold documents ahead of the database: forget them.
                    docs.clear();
                    return Err(StoreError::from(err).into());
                }
                Ok(value)
            }
            Err(err) => {
                docs.clear();
                Err(err)
            }
        }
    }

    /// Copies the write-ahead log into the database file and truncates it. Call when the app is idle (e.g. going
    /// to the background): it keeps the WAL small without making a tap or a keystroke wait for it.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        let writer = self.lock_writer()?;
        writer
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    fn lock_writer(&self) -> Result<MutexGuard<'_, Writer>, StoreError> {
        let writer = self.writer.lock().map_err(|_| StoreError::Poisoned)?;
        if self.wiped.load(Ordering::SeqCst) {
            return Err(StoreError::Wiped);
        }
        Ok(writer)
    }

    fn take_reader(&self) -> Result<Connection, StoreError> {
        if self.wiped.load(Ordering::SeqCst) {
            return Err(StoreError::Wiped);
        }
        let pooled = self.readers.lock().map_err(|_| StoreError::Poisoned)?.pop();
        match pooled {
            Some(conn) => Ok(conn),
            None => open_reader(&self.path, self.key.as_ref()),
        }
    }

    fn give_back_reader(&self, conn: Connection) {
        if let Ok(mut pool) = self.readers.lock() {
            if pool.len() < MAX_IDLE_READERS && !self.wiped.load(Ordering::SeqCst) {
                pool.push(conn);
            }
        }
    }
}

/// How to open a store: the clock it reads and, for an encrypted store, its key.
#[derive(Clone)]
pub struct OpenOptions {
    /// Every write stamps this clock and every judgement of "now" reads it.
    pub clock: SharedClock,
    /// The store key (encrypted store), or `None` (plain store).
    pub key: Option<StoreKey>,
}

impl OpenOptions {
    /// A plain store on `clock`.
    pub fn new(clock: SharedClock) -> OpenOptions {
        OpenOptions { clock, key: None }
    }

    /// The same options with the store encrypted by `key`.
    pub fn with_key(self, key: StoreKey) -> OpenOptions {
        OpenOptions {
            key: Some(key),
            ..self
        }
    }
}

/// Whether SQLite found no database it can read in the file (a wrong key gives this too).
fn is_not_a_database(err: &StoreError) -> bool {
    matches!(err, StoreError::Sqlite(rusqlite::Error::SqliteFailure(failure, _))
        if failure.code == rusqlite::ErrorCode::NotADatabase)
}

/// Statements a connection keeps prepared: applying a pulled visit, validating and projecting it use about 30.
/// With rusqlite's default of 16 they pushed each other out, and each was parsed and planned again per visit.
const STATEMENT_CACHE: usize = 64;

fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    // The query planner's stability guarantee: without it the bundled SQLite (built with STAT4) prepares a
    // statement with an ORDER BY or a join again whenever a bound parameter changes (found on the audit's replay).
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(())
}

fn open_writer(path: &Path, key: Option<&StoreKey>) -> Result<Connection, StoreError> {
    let mut conn = Connection::open(path)?;
    encryption::apply_key(&conn, key)?;
    configure(&conn)?;
    // Reading the journal mode is the first access to the file: a garbage file fails here with NOTADB.
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "wal", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Inconsistent(format!(
            "journal mode is {mode}, expected wal"
        )));
    }
    // NORMAL in WAL mode: a commit survives a process crash; see docs/adr/0003-sqlite-durability.md.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Checkpoint every ~40 MB of WAL instead of SQLite's 4 MB, so a tap or a keystroke rarely pays for one;
    // `Store::checkpoint` lets the app do it when idle (see docs/adr/0003-sqlite-durability.md).
    conn.pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)?;
    migrations::migrate(&mut conn)?;
    Ok(conn)
}

fn open_reader(path: &Path, key: Option<&StoreKey>) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
    )?;
    encryption::apply_key(&conn, key)?;
    configure(&conn)?;
    Ok(conn)
}

fn load_or_create_actor(conn: &Connection) -> Result<automerge::ActorId, StoreError> {
    let existing: Option<String> = conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [ACTOR_KEY], |row| {
            row.get(0)
        })
        .map(Some)
        .or_else(|err| match err {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            other => Err(other),
        })?;
    if let Some(hex) = existing {
        return automerge::ActorId::try_from(hex.as_str())
            .map_err(|_| StoreError::Inconsistent("the device actor id is not valid hex".into()));
    }
    let actor = automerge::ActorId::from(uuid::Uuid::new_v4().as_bytes().as_slice());
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)",
        (ACTOR_KEY, actor.to_hex_string()),
    )?;
    Ok(actor)
}
