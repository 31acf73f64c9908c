//! Sync through a transport the app implements (OkHttp, URLSession), with progress reported to a listener.
//!
//! The core's `Store::sync` is blocking; it is exported as a blocking call and the Kotlin (`suspend`, on
//! `Dispatchers.IO`) and Swift (`async`, on a global queue) wrappers move it off the caller's thread (ADR 0009).

use std::sync::Arc;

use mrc_core::sync::{NewToken, SyncProgress, SyncReport, Transport, TransportError};

use crate::{
    error::{guard, MrcError},
    observer::ChangeKind,
    store::MrcStore,
};

/// Why the app's transport produced no response body.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum TransportFailure {
    /// No answer: no network, a timeout, a dropped connection. `reason` must not hold personal data.
    #[error("network error: {reason}")]
    Network { reason: String },
    /// The server answered with a non-2xx HTTP `status`; `detail` is the server's one-sentence explanation (named so because Kotlin exceptions already have a `message`).
    #[error("server answered {status}")]
    Status { status: u16, detail: String },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for TransportFailure {
    fn from(_: uniffi::UnexpectedUniFFICallbackError) -> TransportFailure {
        TransportFailure::Network {
            reason: "the transport failed unexpectedly".into(),
        }
    }
}

/// Implemented in Kotlin or Swift: `POST {server}{path}` with `body` (CBOR, `Content-Type: application/cbor`) and
/// the device's bearer token; returns the response body on 2xx. Called on the thread that runs `sync`.
#[uniffi::export(with_foreign)]
pub trait SyncTransport: Send + Sync {
    fn post(&self, path: String, body: Vec<u8>) -> Result<Vec<u8>, TransportFailure>;
}

/// Implemented in Kotlin or Swift: told how far a sync has come. Must return quickly and must not throw.
#[uniffi::export(with_foreign)]
pub trait SyncProgressListener: Send + Sync {
    fn progress(&self, progress: SyncProgress);
}

/// The core's `Transport` over the app's `SyncTransport`.
struct ForeignTransport(Arc<dyn SyncTransport>);

impl Transport for ForeignTransport {
    fn post(&self, path: &str, body: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.0
            .post(path.to_owned(), body.to_vec())
            .map_err(|failure| match failure {
                TransportFailure::Network { reason } => TransportError::Network(reason),
                TransportFailure::Status { status, detail } => TransportError::Status {
                    status,
                    message: detail,
                },
            })
    }
}

#[uniffi::export]
impl MrcStore {
    /// Pushes local changes and pulls the server's through `transport`, telling `listener` (if any) how far it
    /// has come. Blocking: call it off the main thread (the wrappers do). Safe to interrupt and to repeat.
    pub fn sync(
        &self,
        transport: Arc<dyn SyncTransport>,
        listener: Option<Arc<dyn SyncProgressListener>>,
    ) -> Result<SyncReport, MrcError> {
        guard(|| {
            let transport = ForeignTransport(transport);
            let mut report = |progress: SyncProgress| {
                if let Some(listener) = &listener {
                    listener.progress(progress);
                }
            };
            // Every visit the sync changed is announced as it commits, like a local change.
            let mut changed = |id| self.notify(id, ChangeKind::Synced);
            Ok(self.store.sync_with(&transport, &mut report, &mut changed)?)
        })
    }

    /// Exchanges the token `transport` sends for a new one (`POST /v1/token`; same rep, same expiry). Store
    /// `NewToken.token` where the old one is kept (Keystore, Keychain), then sync with it: the old token keeps
    /// working until the new one is first used, and is refused as `Rotated` (not `Revoked`: no wipe) after.
    pub fn rotate_token(&self, transport: Arc<dyn SyncTransport>) -> Result<NewToken, MrcError> {
        guard(|| Ok(self.store.rotate_token(&ForeignTransport(transport))?))
    }

    /// Whether this device should exchange its token now: it never has, or `every_days` days have passed since
    /// (the core's default policy is `ROTATE_EVERY_DAYS`, 30).
    pub fn token_rotation_due(&self, every_days: u32) -> Result<bool, MrcError> {
        guard(|| Ok(self.store.token_rotation_due(every_days)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Refusing(u16);

    impl SyncTransport for Refusing {
        fn post(&self, _path: String, _body: Vec<u8>) -> Result<Vec<u8>, TransportFailure> {
            match self.0 {
                0 => Err(TransportFailure::Network {
                    reason: "timeout".into(),
                }),
                999 => panic!("transport bug"),
                status => Err(TransportFailure::Status {
                    status,
                    detail: "revoked: the device token was revoked".into(),
                }),
            }
        }
    }

    fn store() -> (tempfile::TempDir, Arc<MrcStore>) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("store.db").to_string_lossy().into_owned();
        let store = MrcStore::open(path, None, None).unwrap_or_else(|e| panic!("{e}"));
        (dir, store)
    }

    #[test]
    fn transport_failures_become_network_errors_and_panics_internal() {
        let (_dir, store) = store();
        for (status, expected) in [(0u16, 0u16), (403, 403), (503, 503)] {
            match store.sync(Arc::new(Refusing(status)), None) {
                Err(MrcError::Network { status, .. }) => assert_eq!(status, expected),
                other => panic!("{other:?}"),
            }
        }
        // A 401 carries the server's reason: the app wipes on `Revoked`.
        assert!(matches!(
            store.sync(Arc::new(Refusing(401)), None),
            Err(MrcError::Unauthorized {
                reason: mrc_core::sync::AuthRefusal::Revoked
            })
        ));
        assert!(matches!(
            store.sync(Arc::new(Refusing(999)), None),
            Err(MrcError::Internal { .. })
        ));
        // The store still works after the panic (no lock was held while the transport ran).
        assert!(store.master_counts().is_ok());
    }
}
