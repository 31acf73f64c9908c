//! Encryption at rest (ADR 0021): the key on every connection, telling a plain file from an encrypted one, and
//! re-encrypting a whole store — plain to encrypted at the first open with a key, one key to another on `rekey`.
//!
//! A store is re-encrypted by copying it (`sqlcipher_export`) into `<file>.rekeying` and renaming that over the
//! file. Until the rename the old file is untouched; the rename is atomic; so a process killed at any step leaves
//! the old store or the new one, whole, and the next open starts again from the old one.

use std::{fs::File, io::Read, path::Path};

use rusqlite::{Connection, OpenFlags};
use zeroize::Zeroizing;

use super::{recovery::suffixed, StoreError, StoreKey};

/// The first 16 bytes of every plain SQLite database file.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// SQLite's smallest page size: an encrypted file is always a whole number of these.
const MIN_PAGE_SIZE: u64 = 512;

/// The page authentication code: SHA-256 rather than SQLCipher's default SHA-512, because tablets' ARMv8 cores and
/// this machine compute SHA-256 in hardware (ADR 0021 has the figures). Every encrypted store uses it.
const HMAC: &str = "HMAC_SHA256";

/// The name under which the re-encrypted copy is written before it replaces the store.
const REKEYING_SUFFIX: &str = ".rekeying";

/// Gives `conn` the store key; must come before anything reads the file.
pub(super) fn apply_key(conn: &Connection, key: Option<&StoreKey>) -> Result<(), StoreError> {
    // SQLCipher would print "hmac check failed" on stderr (logcat on Android) for a wrong key; the caller gets
    // `WrongKey` instead.
    conn.execute_batch("PRAGMA cipher_log_level = NONE")?;
    if let Some(key) = key {
        let pragma = Zeroizing::new(format!("PRAGMA key = \"{}\"", key.raw_key_literal().as_str()));
        conn.execute_batch(&pragma)?;
        conn.execute_batch(&format!("PRAGMA cipher_hmac_algorithm = {HMAC}"))?;
    }
    Ok(())
}

/// Whether the file at `path` starts with SQLite's plain header, i.e. is a store written without encryption.
pub(super) fn has_plain_header(path: &Path) -> Result<bool, StoreError> {
    let mut header = [0u8; PLAIN_HEADER.len()];
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(source) => return Err(io_error(path, source)),
    };
    match file.read_exact(&mut header) {
        Ok(()) => Ok(&header == PLAIN_HEADER),
        Err(err) if err.kind() == std::io::ErrorKind::UnexpectedEof => Ok(false),
        Err(source) => Err(io_error(path, source)),
    }
}

/// Whether an unreadable file has the shape of an encrypted store (no plain header, a whole number of pages):
/// opened without its key, it is refused, not moved aside as damaged.
pub(super) fn looks_encrypted(path: &Path) -> bool {
    let len = std::fs::metadata(path).map(|meta| meta.len()).unwrap_or(0);
    len >= MIN_PAGE_SIZE && len % MIN_PAGE_SIZE == 0 && !has_plain_header(path).unwrap_or(true)
}

/// Rewrites the closed store at `path`, readable with `from` (`None`: a plain store), so that it is readable with
/// `to` only. Crash-safe: see the module documentation.
pub(super) fn reencrypt(path: &Path, from: Option<&StoreKey>, to: &StoreKey) -> Result<(), StoreError> {
    let target = suffixed(path, REKEYING_SUFFIX);
    // A copy left by a killed process is incomplete: never trusted, always rebuilt.
    remove_if_exists(&target)?;
    remove_if_exists(&suffixed(&target, "-journal"))?;
    let copied = copy_encrypted(path, from, to, &target);
    if let Err(err) = copied {
        remove_if_exists(&target)?;
        return Err(err);
    }
    // Out of WAL mode, the old file has no log; `-shm` may remain from before.
    remove_if_exists(&suffixed(path, "-wal"))?;
    remove_if_exists(&suffixed(path, "-shm"))?;
    File::open(&target)
        .and_then(|file| file.sync_all())
        .map_err(|source| io_error(&target, source))?;
    std::fs::rename(&target, path).map_err(|source| io_error(path, source))?;
    sync_parent(path)
}

/// Copies the store at `path` (read with `from`) into a new file `target` encrypted with `to`, keeping the schema
/// version, and closes both.
fn copy_encrypted(
    path: &Path,
    from: Option<&StoreKey>,
    to: &StoreKey,
    target: &Path,
) -> Result<(), StoreError> {
    let target_name = target.to_str().ok_or_else(|| {
        StoreError::Inconsistent("the store's path is not valid UTF-8; it cannot be encrypted".into())
    })?;
    // CREATE is for the attached copy (it inherits these flags); the store itself exists, the callers checked.
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
    )?;
    apply_key(&conn, from)?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|err| wrong_key_if_keyed(err, from))?;
    // Leaving WAL mode checkpoints the log into the file and needs every other connection closed: it fails at
    // once (no busy wait) if any is open, so nobody writes into the old file while it is copied or after.
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "DELETE", |row| row.get(0))
        .map_err(in_use_if_busy)?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(StoreError::InUse);
    }
    let literal = to.raw_key_literal();
    conn.execute(
        "ATTACH DATABASE ?1 AS rekeyed KEY ?2",
        (target_name, literal.as_str()),
    )?;
    conn.execute_batch(&format!("PRAGMA rekeyed.cipher_hmac_algorithm = {HMAC}"))?;
    conn.query_row("SELECT sqlcipher_export('rekeyed')", [], |_| Ok(()))?;
    conn.execute_batch(&format!("PRAGMA rekeyed.user_version = {version}"))?;
    conn.execute_batch("DETACH DATABASE rekeyed")?;
    conn.close().map_err(|(_, err)| StoreError::from(err))
}

/// A busy or locked database means another connection has the store open.
fn in_use_if_busy(err: rusqlite::Error) -> StoreError {
    match &err {
        rusqlite::Error::SqliteFailure(failure, _)
            if matches!(
                failure.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ) =>
        {
            StoreError::InUse
        }
        _ => StoreError::from(err),
    }
}

/// With a key given, "not a database" means the key is wrong (or page 1 is damaged, which no key can tell
/// apart); without one it is the plain file that is damaged.
fn wrong_key_if_keyed(err: rusqlite::Error, key: Option<&StoreKey>) -> StoreError {
    match (&err, key) {
        (rusqlite::Error::SqliteFailure(failure, _), Some(_))
            if failure.code == rusqlite::ErrorCode::NotADatabase =>
        {
            StoreError::WrongKey
        }
        _ => StoreError::from(err),
    }
}

fn remove_if_exists(path: &Path) -> Result<(), StoreError> {
    match std::fs::remove_file(path) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(io_error(path, err)),
        _ => Ok(()),
    }
}

/// Makes the rename durable (the directory entry), where the platform allows opening a directory.
fn sync_parent(path: &Path) -> Result<(), StoreError> {
    let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) else {
        return Ok(());
    };
    match File::open(parent) {
        Ok(dir) => dir.sync_all().or_else(|err| {
            // Some file systems refuse fsync on a directory; the rename itself is still atomic.
            if err.kind() == std::io::ErrorKind::InvalidInput {
                Ok(())
            } else {
                Err(io_error(parent, err))
            }
        }),
        Err(_) => Ok(()),
    }
}

fn io_error(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}
