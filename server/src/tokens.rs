//! Device tokens with a lifecycle: what the store keeps of a token (never the token), why a request is refused
//! (missing, unknown, revoked, expired: a machine-readable code at the start of the 401's body), and the admin log.

use serde::Serialize;

use crate::{auth::token_hash, Principal};

/// What the store keeps of a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    /// Public id: the first 12 hex digits of the token's hash (names it in `mrc admin token list|revoke`).
    pub id: String,
    #[serde(skip)]
    pub principal: Principal,
    pub role: &'static str,
    pub reps: Vec<String>,
    pub created_at_ms: i64,
    pub expires_at_ms: Option<i64>,
    pub revoked_at_ms: Option<i64>,
    pub last_seen_ms: Option<i64>,
    /// When a newer token obtained by rotation replaced this one (it was used, or another rotation superseded it).
    pub replaced_at_ms: Option<i64>,
    /// The public id of the token this one was exchanged for, when it came from a rotation.
    pub rotated_from: Option<String>,
}

impl TokenInfo {
    /// A stored row's fields; `times` are created, expires, revoked, last seen and replaced (ms).
    pub fn new(
        id: String,
        principal: Principal,
        times: [Option<i64>; 5],
        rotated_from: Option<String>,
    ) -> TokenInfo {
        let [created, expires_at_ms, revoked_at_ms, last_seen_ms, replaced_at_ms] = times;
        TokenInfo {
            id,
            role: principal.role.as_str(),
            reps: principal.reps.clone(),
            principal,
            created_at_ms: created.unwrap_or_default(),
            expires_at_ms,
            revoked_at_ms,
            last_seen_ms,
            replaced_at_ms,
            rotated_from,
        }
    }

    /// The token this one replaces, when this is its first use: that token is then retired.
    pub fn retires_on_first_use(&self) -> Option<&str> {
        self.rotated_from
            .as_deref()
            .filter(|_| self.last_seen_ms.is_none())
    }
}

/// The public id of the token whose hash is `hash`.
pub fn token_id(hash: &[u8; 32]) -> String {
    hex::encode(&hash[..6])
}

/// The public id of `token`.
pub fn id_of(token: &str) -> String {
    token_id(&token_hash(token))
}

/// Why a request's token is refused. Its code opens the 401's body (`revoked: …`), so any transport passes it on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No `Authorization: Bearer` header.
    Missing,
    /// No such token.
    Unknown,
    /// Revoked by an administrator: the device should wipe its local data.
    Revoked,
    /// Past its expiry: the device needs a new token.
    Expired,
    /// Replaced by a newer token the device obtained by rotation: it should use that one (not a lost device).
    Rotated,
}

impl Refusal {
    /// The machine-readable code.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Missing => "missing_token",
            Refusal::Unknown => "unknown_token",
            Refusal::Revoked => "revoked",
            Refusal::Expired => "expired",
            Refusal::Rotated => "rotated",
        }
    }

    /// One sentence for the 401's body, after the code.
    pub fn message(self) -> &'static str {
        match self {
            Refusal::Missing => "this endpoint needs an `Authorization: Bearer <token>` header",
            Refusal::Unknown => "the bearer token is unknown",
            Refusal::Revoked => "the device token was revoked; the device's local data should be wiped",
            Refusal::Expired => "the device token has expired; ask for a new one",
            Refusal::Rotated => {
                "the device token was exchanged for a newer one, which has been used since; use the newer token"
            }
        }
    }
}

/// The principal a stored token admits at `now_ms`, or why it does not.
pub fn admit(found: Option<TokenInfo>, now_ms: i64) -> Result<Principal, Refusal> {
    let token = found.ok_or(Refusal::Unknown)?;
    if token.revoked_at_ms.is_some() {
        return Err(Refusal::Revoked);
    }
    if token.replaced_at_ms.is_some() {
        return Err(Refusal::Rotated);
    }
    if token.expires_at_ms.is_some_and(|at| now_ms >= at) {
        return Err(Refusal::Expired);
    }
    Ok(token.principal)
}

/// Whether a successful use at `now_ms` should be written as "last seen" (at most once a minute per token).
pub fn should_touch(token: &TokenInfo, now_ms: i64) -> bool {
    token.last_seen_ms.is_none_or(|seen| now_ms - seen >= 60_000)
}

/// One admin action, as logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdminLogEntry {
    pub seq: i64,
    pub at_ms: i64,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(expires: Option<i64>, revoked: Option<i64>) -> Option<TokenInfo> {
        Some(TokenInfo::new(
            "0123456789ab".into(),
            Principal::rep("R1"),
            [Some(0), expires, revoked, None, None],
            None,
        ))
    }

    #[test]
    fn revoked_beats_expired_and_expiry_is_exclusive() {
        assert_eq!(admit(None, 5), Err(Refusal::Unknown));
        assert_eq!(admit(token(Some(10), Some(3)), 20), Err(Refusal::Revoked));
        assert_eq!(admit(token(Some(10), None), 10), Err(Refusal::Expired));
        assert_eq!(admit(token(Some(10), None), 9), Ok(Principal::rep("R1")));
        assert_eq!(admit(token(None, None), i64::MAX), Ok(Principal::rep("R1")));
        let mut replaced = token(Some(10), None);
        if let Some(t) = replaced.as_mut() {
            t.replaced_at_ms = Some(4);
        }
        assert_eq!(
            admit(replaced.clone(), 20),
            Err(Refusal::Rotated),
            "rotated beats expired"
        );
        if let Some(t) = replaced.as_mut() {
            t.revoked_at_ms = Some(5);
        }
        assert_eq!(
            admit(replaced, 20),
            Err(Refusal::Revoked),
            "revoked beats rotated"
        );
        assert_eq!(id_of("abc").len(), 12);
    }
}
