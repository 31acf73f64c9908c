//! The server's error: what went wrong in an exchange or an admin command, mapped to one HTTP status.

use crate::store::StoreError;

/// Why an exchange or an admin command failed. Nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The body is not a valid request (HTTP 400).
    #[error("{0}")]
    BadRequest(String),
    /// The principal may not read or write what the request names (HTTP 403).
    #[error("{0}")]
    Forbidden(String),
    /// The request carries more than the protocol allows (HTTP 413).
    #[error("{0}")]
    TooLarge(String),
    /// An admin input (master data, rule settings, a token's scope) was refused.
    #[error("{0}")]
    Invalid(String),
    /// The storage failed (HTTP 500).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A bug or an unusable stored value (HTTP 500).
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<rusqlite::Error> for ServerError {
    fn from(err: rusqlite::Error) -> ServerError {
        ServerError::Store(err.into())
    }
}

impl From<tokio_postgres::Error> for ServerError {
    fn from(err: tokio_postgres::Error) -> ServerError {
        ServerError::Store(err.into())
    }
}

/// The core's device store, which the server uses only as the tap desk (`crate::web::TapDesk`).
impl From<mrc_core::StoreError> for ServerError {
    fn from(err: mrc_core::StoreError) -> ServerError {
        ServerError::Internal(format!("tap desk: {err}"))
    }
}
