//! Errors of a sync run. Whatever the error, nothing local is lost: the next sync resumes.

use super::{transport::TransportError, wire::WireError};
use crate::{master::ImportError, store::StoreError, visit::VisitError};

/// Why a sync did not complete.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The request did not get through, or the server refused it.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The server's answer is not a valid message of this protocol.
    #[error(transparent)]
    Wire(#[from] WireError),
    /// The server's answer does not match the request (a server bug, or a proxy in the way).
    #[error("unexpected answer from the server: {0}")]
    Protocol(String),
    /// A visit document from the server could not be applied.
    #[error(transparent)]
    Visit(#[from] VisitError),
    /// Master data from the server was refused.
    #[error(transparent)]
    Master(#[from] ImportError),
    /// The local store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for SyncError {
    fn from(err: rusqlite::Error) -> SyncError {
        SyncError::Store(err.into())
    }
}
