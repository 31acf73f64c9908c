//! Device tokens and principals: a token is 32 random bytes shown once as hex; only its SHA-256 is stored.

use sha2::{Digest, Sha256};

use crate::ServerError;

/// What a token's holder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A medical representative: reads and writes their own visits.
    Rep,
    /// A manager: reads the visits of the reps of their team and adds comments to them (nothing else).
    Manager,
    /// Head office (marketing, compliance): signs in to the web view; syncs no visits.
    HeadOffice,
}

mrc_core::text_enum!(Role { Rep => "rep", Manager => "manager", HeadOffice => "head_office" });

/// Who a request acts for: a role and the reps whose visits are in scope (exactly one for a rep).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub role: Role,
    /// Rep ids in scope, sorted, without duplicates.
    pub reps: Vec<String>,
}

impl Principal {
    /// A rep, who reads and writes their own visits.
    pub fn rep(rep_id: impl Into<String>) -> Principal {
        Principal {
            role: Role::Rep,
            reps: vec![rep_id.into()],
        }
    }

    /// A manager reading the visits of `reps`.
    pub fn manager<S: Into<String>>(reps: impl IntoIterator<Item = S>) -> Principal {
        let mut reps: Vec<String> = reps.into_iter().map(Into::into).collect();
        reps.sort();
        reps.dedup();
        Principal {
            role: Role::Manager,
            reps,
        }
    }

    /// Head office: the web view, no visit scope of its own.
    pub fn head_office() -> Principal {
        Principal {
            role: Role::HeadOffice,
            reps: Vec::new(),
        }
    }

    /// Checks the shape a stored principal must have.
    pub fn check(&self) -> Result<(), ServerError> {
        if self.role == Role::HeadOffice {
            return if self.reps.is_empty() {
                Ok(())
            } else {
                Err(ServerError::Invalid("a head-office token names no rep".into()))
            };
        }
        if self.reps.is_empty() || self.reps.iter().any(|r| r.trim().is_empty()) {
            return Err(ServerError::Invalid(
                "a token needs at least one non-empty rep id".into(),
            ));
        }
        if self.role == Role::Rep && self.reps.len() != 1 {
            return Err(ServerError::Invalid(
                "a rep token names exactly one rep (use --manager for a team)".into(),
            ));
        }
        Ok(())
    }

    /// The rep whose visits this principal may write and whose events it may send (none for a manager, who only
    /// adds comments: `exchange::comments`).
    pub fn writer(&self) -> Option<&str> {
        match self.role {
            Role::Rep => self.reps.first().map(String::as_str),
            Role::Manager | Role::HeadOffice => None,
        }
    }

    /// Whether a visit owned by `rep_id` is in scope.
    pub fn can_read(&self, rep_id: &str) -> bool {
        self.reps.iter().any(|r| r == rep_id)
    }
}

/// A new random token (64 hex digits) to hand to a device once.
pub fn new_token() -> Result<String, ServerError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|_| ServerError::Internal("the system random source failed".into()))?;
    Ok(hex::encode(bytes))
}

/// The SHA-256 of a token: what the store keeps and looks tokens up by.
pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// The token of an `Authorization: Bearer <token>` header value, if it has that shape.
pub fn bearer(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_hash_stably() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), token_hash(&b));
    }

    #[test]
    fn bearer_header_shapes() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bearer  abc "), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("Bearer "), None);
        assert_eq!(bearer("abc"), None);
    }

    #[test]
    fn scopes() {
        let rep = Principal::rep("R1");
        assert_eq!(rep.writer(), Some("R1"));
        assert!(rep.can_read("R1") && !rep.can_read("R2"));
        let manager = Principal::manager(["R2", "R1", "R2"]);
        assert_eq!(manager.reps, ["R1", "R2"]);
        assert_eq!(manager.writer(), None);
        assert!(manager.check().is_ok());
        assert!(Principal::manager(Vec::<String>::new()).check().is_err());
        assert!(Principal::rep(" ").check().is_err());
    }
}
