//! Errors of the server's storage.

use std::path::PathBuf;

/// Why the store could not be opened, read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("SQLite error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL reported an error (or the connection failed).
    #[error("PostgreSQL error: {}", chain(.0))]
    Postgres(#[from] tokio_postgres::Error),
    /// The data directory could not be created.
    #[error("cannot create {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    /// The database was written by a newer build.
    #[error(
        "the server database has schema version {found}, newer than this build understands ({supported})"
    )]
    TooNew { found: i64, supported: i64 },
    /// A stored value does not have the shape this build expects.
    #[error("stored data is inconsistent: {0}")]
    Inconsistent(String),
    /// A lock was poisoned by a panic in another thread.
    #[error("the store is unusable after an internal failure in another thread")]
    Poisoned,
}

impl StoreError {
    /// Whether running the transaction again may succeed: PostgreSQL's deadlock and serialization failures, and
    /// a unique violation (two servers creating the same document at once; the retry merges into the winner's).
    pub fn is_retryable(&self) -> bool {
        use tokio_postgres::error::SqlState;
        match self {
            StoreError::Postgres(err) => matches!(
                err.code(),
                Some(code) if *code == SqlState::T_R_DEADLOCK_DETECTED
                    || *code == SqlState::T_R_SERIALIZATION_FAILURE
                    || *code == SqlState::UNIQUE_VIOLATION
            ),
            _ => false,
        }
    }
}

/// An error with its sources (`tokio_postgres` keeps the useful part, such as "connection refused", in them).
fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
