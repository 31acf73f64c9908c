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

/// What kind of failure stopped a sync: what an app or a script does next depends on it, never on the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SyncFailureKind {
    /// No answer: no network, a timeout, a dropped connection, a server certificate not trusted. Sync again later.
    Offline,
    /// The server refused the device's token (401); [`AuthRefusal`] says why.
    Unauthorized,
    /// The server refused this request for this device (403: another rep's visit, a role without the right).
    /// Retrying will not help.
    Forbidden,
    /// The server failed or is overloaded (5xx, 429): sync again later.
    Server,
    /// The two sides do not speak the same protocol: an invalid answer, an answer to another request, or a request
    /// the server calls malformed (another 4xx). Update the app or the server.
    Protocol,
    /// The device itself failed: its store, or a document or master data it could not apply.
    Local,
}

crate::text_enum!(SyncFailureKind {
    Offline => "offline",
    Unauthorized => "unauthorized",
    Forbidden => "forbidden",
    Server => "server",
    Protocol => "protocol",
    Local => "local",
});

impl TransportError {
    /// The kind of failure this transport error is.
    pub fn kind(&self) -> SyncFailureKind {
        match self {
            TransportError::Network(_) => SyncFailureKind::Offline,
            TransportError::Status { status: 401, .. } => SyncFailureKind::Unauthorized,
            TransportError::Status { status: 403, .. } => SyncFailureKind::Forbidden,
            TransportError::Status { status, .. } if *status == 429 || *status >= 500 => {
                SyncFailureKind::Server
            }
            TransportError::Status { .. } => SyncFailureKind::Protocol,
        }
    }
}

impl SyncError {
    /// The kind of failure this error is.
    pub fn kind(&self) -> SyncFailureKind {
        match self {
            SyncError::Unauthorized(_) => SyncFailureKind::Unauthorized,
            SyncError::Transport(transport) => transport.kind(),
            SyncError::Wire(_) | SyncError::Protocol(_) => SyncFailureKind::Protocol,
            SyncError::Visit(_) | SyncError::Master(_) | SyncError::Store(_) => SyncFailureKind::Local,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16) -> SyncError {
        SyncError::from(TransportError::Status {
            status,
            message: "サーバーの説明".into(),
        })
    }

    #[test]
    fn every_failure_has_the_kind_an_app_acts_on() {
        let kinds: Vec<&str> = [
            SyncError::Transport(TransportError::Network("timeout".into())),
            status(401),
            status(403),
            status(500),
            status(503),
            status(429),
            status(400),
            status(413),
            SyncError::Protocol("山田".into()),
            SyncError::Store(StoreError::Wiped),
        ]
        .iter()
        .map(|e| e.kind().as_str())
        .collect();
        assert_eq!(
            kinds,
            [
                "offline",
                "unauthorized",
                "forbidden",
                "server",
                "server",
                "server",
                "protocol",
                "protocol",
                "protocol",
                "local"
            ]
        );
    }
}
