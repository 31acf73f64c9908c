//! Token rotation: the device exchanges its bearer token for a new one (`POST /v1/token`), so the token an
//! administrator handed over (by e-mail, MDM, a QR code) stops working soon after the device first syncs, and
//! every later token is one only the device has held.
//!
//! The server keeps the old token valid until the new one is first used: if the answer is lost, or the app is
//! killed before it stored the new token, the old one still works and the next rotation replaces the pending one.

use chrono::{DateTime, Duration, Utc};
use rusqlite::OptionalExtension;

use super::{
    state,
    transport::Transport,
    wire::{self, TokenRequest, TokenResponse, PROTOCOL_VERSION},
    SyncError,
};
use crate::{store::StoreError, Store};

/// The settings key of the last successful rotation (RFC 3339).
const ROTATED_AT_KEY: &str = "sync.token_rotated_at";

/// How often a device exchanges its token, unless the app chooses otherwise.
pub const ROTATE_EVERY_DAYS: u32 = 30;

/// A token the server issued to this device in exchange for the one it used.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewToken {
    /// The bearer token: store it where the old one was (Keystore, Keychain) before using it.
    pub token: String,
    /// Its public id, as the server's token list shows it.
    pub id: String,
    /// When it expires (ms since the epoch), if it does.
    pub expires_at_ms: Option<i64>,
}

impl std::fmt::Debug for NewToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewToken")
            .field("id", &self.id)
            .field("expires_at_ms", &self.expires_at_ms)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Exchanges the token `transport` sends for a new one. Store the new token, then use it: the old one is
    /// refused with `AuthRefusal::Rotated` once the new one has been used.
    pub fn rotate_token(&self, transport: &dyn Transport) -> Result<NewToken, SyncError> {
        let body = wire::encode(&TokenRequest { v: PROTOCOL_VERSION });
        let answer = transport.post("/v1/token", &body)?;
        let response: TokenResponse = wire::decode(&answer)?;
        if response.token.is_empty() {
            return Err(SyncError::Protocol("the server sent an empty token".into()));
        }
        let at = self.now().to_rfc3339();
        self.write(|tx| state::set(tx, ROTATED_AT_KEY, &at))?;
        Ok(NewToken {
            token: response.token,
            id: response.id,
            expires_at_ms: response.expires_at_ms,
        })
    }

    /// Whether this device should exchange its token now: it never has, or its last exchange is `every_days`
    /// days old or more by the store's clock.
    pub fn token_rotation_due(&self, every_days: u32) -> Result<bool, StoreError> {
        let last: Option<String> = self.read(|conn| {
            conn.query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [ROTATED_AT_KEY],
                |row| row.get(0),
            )
            .optional()
            .map_err(StoreError::from)
        })?;
        let last = last.and_then(|text| DateTime::parse_from_rfc3339(&text).ok());
        Ok(match last {
            None => true,
            Some(at) => {
                let since: Duration = self.now() - at.with_timezone(&Utc);
                since >= Duration::days(i64::from(every_days)) || since < Duration::zero()
            }
        })
    }
}
