//! Errors of the local SQLite store.

use std::path::PathBuf;

/// Why the store could not be opened, read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file system refused an operation on the database file.
    #[error("file error on {path}: {source}")]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The database was written by a newer version of the app.
    #[error("the database has schema version {found}, newer than this build understands ({supported})")]
    TooNew {
        /// The version found in the file.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// A stored value does not have the shape this build expects.
    #[error("stored data is inconsistent: {0}")]
    Inconsistent(String),
    /// A lock was poisoned by a panic in another thread.
    #[error("the store is unusable after an internal failure in another thread")]
    Poisoned,
    /// The key does not open this store: a wrong key, no key for an encrypted store (or, indistinguishably, a
    /// damaged first page). The file was left exactly as it was.
    #[error("the key does not open this store (wrong or missing key); the file was left untouched")]
    WrongKey,
    /// A store key that is not 32 bytes (64 hexadecimal digits).
    #[error("invalid store key: {0}")]
    InvalidKey(String),
    /// The store could not be re-encrypted because another connection has it open and wrote to it.
    #[error("the store is open elsewhere; close it and try again")]
    InUse,
    /// The store was wiped (`Store::wipe`): its files are gone; open a new one.
    #[error("the store was wiped; open a new one")]
    Wiped,
}
