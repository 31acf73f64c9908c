//! Errors of the content step: what stops it (network, disk, store) and what only fails one file.

use std::path::PathBuf;

use serde::Serialize;

use crate::{store::StoreError, sync::TransportError};

/// Why the content step stopped. Verified files are kept, a `.part` file keeps what arrived: the next run resumes.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    /// The server could not be reached or refused the device (no point trying the other files now).
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The content directory could not be read or written.
    #[error("cannot use {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    /// The content directory's path is not valid UTF-8, so it cannot be stored as a material's local path.
    #[error("the content directory {0} is not a UTF-8 path")]
    NotUtf8(PathBuf),
    /// The local store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ContentError {
    /// The kind of failure: a transport error's own kind, else the device's.
    pub fn kind(&self) -> crate::sync::SyncFailureKind {
        match self {
            ContentError::Transport(transport) => transport.kind(),
            _ => crate::sync::SyncFailureKind::Local,
        }
    }

    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> ContentError {
        ContentError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl From<rusqlite::Error> for ContentError {
    fn from(err: rusqlite::Error) -> ContentError {
        ContentError::Store(err.into())
    }
}

/// One file that could not be fetched this time; the others went on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ContentFailure {
    pub sha256: String,
    pub reason: FailureReason,
}

/// Why one file failed. Its `.part` file is deleted when the bytes themselves are wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum FailureReason {
    /// The downloaded bytes hash to something else: discarded, never used.
    #[error("the downloaded file's SHA-256 is {actual}; discarded")]
    HashMismatch { actual: String },
    /// The server's file has another size than the catalog says: discarded.
    #[error("the server's file has {server} bytes, the catalog says {expected}; discarded")]
    SizeMismatch { expected: u64, server: u64 },
    /// The server does not have the file (yet): `mrc admin content add` was not run for it.
    #[error("the server does not have this file yet")]
    NotOnServer,
    /// The answer does not fit the request (a proxy in the way, or a server bug).
    #[error("unexpected answer: {detail}")]
    Protocol { detail: String },
}
