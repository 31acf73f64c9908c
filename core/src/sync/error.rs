//! Errors of a sync run. Whatever the error, nothing local is lost: the next sync resumes.

use super::{transport::TransportError, wire::WireError};
use crate::{master::ImportError, store::StoreError, visit::VisitError};

/// Why the server refused the device's token (the code that opens its 401 answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum AuthRefusal {
    /// The request carried no token.
    MissingToken,
    /// The server does not know the token (another server, or a typo).
    UnknownToken,
    /// An administrator revoked the token (a lost or stolen device): wipe the local data.
    Revoked,
    /// The token expired: ask for a new one.
    Expired,
    /// The token was exchanged for a newer one (`Store::rotate_token`) and the newer one has been used: use it.
    /// Not a lost device — never wipe for this.
    Rotated,
}

impl AuthRefusal {
    /// Reads the code at the start of a 401 body (`revoked: …`); an unknown or missing code is `UnknownToken`.
    pub fn from_body(body: &str) -> AuthRefusal {
        match body.split(':').next().map(str::trim) {
            Some("revoked") => AuthRefusal::Revoked,
            Some("expired") => AuthRefusal::Expired,
            Some("rotated") => AuthRefusal::Rotated,
            Some("missing_token") => AuthRefusal::MissingToken,
            _ => AuthRefusal::UnknownToken,
        }
    }

    /// The code, as the server writes it.
    pub fn code(self) -> &'static str {
        match self {
            AuthRefusal::MissingToken => "missing_token",
            AuthRefusal::UnknownToken => "unknown_token",
            AuthRefusal::Revoked => "revoked",
            AuthRefusal::Expired => "expired",
            AuthRefusal::Rotated => "rotated",
        }
    }
}

/// Why a sync did not complete.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The server refused the device's token (401). On `Revoked` the app wipes the store (`Store::wipe`).
    #[error("the server refused this device's token ({})", .0.code())]
    Unauthorized(AuthRefusal),
    /// The request did not get through, or the server refused it.
    #[error(transparent)]
    Transport(TransportError),
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

impl From<TransportError> for SyncError {
    /// A 401 is the token's refusal, with its reason; everything else stays a transport error.
    fn from(err: TransportError) -> SyncError {
        match err {
            TransportError::Status { status: 401, message } => {
                SyncError::Unauthorized(AuthRefusal::from_body(&message))
            }
            other => SyncError::Transport(other),
        }
    }
}

impl From<rusqlite::Error> for SyncError {
    fn from(err: rusqlite::Error) -> SyncError {
        SyncError::Store(err.into())
    }
}
