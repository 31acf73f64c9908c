//! Operator commands: mint a device token, replace the master data or the rule settings (each import bumps its
//! version, so every device receives it at its next sync).

use mrc_core::{json_path, master::MasterData, validate::RuleSettings};

use crate::{
    auth::{new_token, token_hash},
    store::{transact, Access, JsonDoc},
    Principal, ServerError, ServerStore,
};

/// Who did an admin action and when, for the append-only admin log.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The operator's account (e.g. the OS user running `mrc admin`), or the process.
    pub name: String,
    pub now_ms: i64,
}

impl Actor {
    /// An actor at `now_ms`.
    pub fn new(name: impl Into<String>, now_ms: i64) -> Actor {
        Actor {
            name: name.into(),
            now_ms,
        }
    }

    /// Appends `action` with `detail` (ids and versions only) to the admin log.
    pub fn log(&self, store: &dyn ServerStore, action: &str, detail: &str) -> Result<(), ServerError> {
        transact(store, Access::Write, |tx| {
            Ok(tx.log_admin(self.now_ms, &self.name, action, detail)?)
        })
    }
}

/// Creates a token for `principal`, valid until `expires_at_ms` if given, and returns it: shown once, only its
/// hash is stored. Logged with its public id.
pub fn mint_token(
    store: &dyn ServerStore,
    principal: &Principal,
    actor: &Actor,
    expires_at_ms: Option<i64>,
) -> Result<String, ServerError> {
    principal.check()?;
    if expires_at_ms.is_some_and(|at| at <= actor.now_ms) {
        return Err(ServerError::Invalid("the expiry is not in the future".into()));
    }
    let token = new_token()?;
    let hash = token_hash(&token);
    let detail = format!(
        "id={} role={} reps={} expires_at_ms={}",
        crate::tokens::token_id(&hash),
        principal.role.as_str(),
        principal.reps.join(","),
        expires_at_ms.map_or("never".into(), |at| at.to_string())
    );
    transact(store, Access::Write, |tx| {
        tx.add_token(&hash, principal, actor.now_ms, expires_at_ms, None)?;
        Ok(tx.log_admin(actor.now_ms, &actor.name, "mint_token", &detail)?)
    })?;
    Ok(token)
}

/// Exchanges the (admitted) token whose hash is `old_hash` for a new one with the same principal and the same
/// expiry (a rotation never extends access). The old token stays valid until the new one is first used; a
/// never-used token from an earlier rotation of it is retired now. Logged with both public ids.
pub fn rotate_token(
    store: &dyn ServerStore,
    old_hash: &[u8; 32],
    now_ms: i64,
) -> Result<(String, crate::tokens::TokenInfo), ServerError> {
    let token = new_token()?;
    let hash = token_hash(&token);
    let info = transact(store, Access::Write, |tx| {
        let old = tx
            .token(old_hash)?
            .ok_or_else(|| ServerError::Invalid("the token to rotate is unknown".into()))?;
        tx.replace_unused_successors(&old.id, now_ms)?;
        tx.add_token(&hash, &old.principal, now_ms, old.expires_at_ms, Some(&old.id))?;
        let new_id = crate::tokens::token_id(&hash);
        tx.log_admin(
            now_ms,
            &format!("device {}", old.id),
            "rotate_token",
            &format!("id={new_id} from={}", old.id),
        )?;
        tx.token(&hash)?
            .ok_or_else(|| ServerError::Invalid("the new token was not stored".into()))
    })?;
    Ok((token, info))
}

/// Every stored token (never the tokens themselves), oldest first.
pub fn list_tokens(store: &dyn ServerStore) -> Result<Vec<crate::tokens::TokenInfo>, ServerError> {
    transact(store, Access::Read, |tx| Ok(tx.tokens()?))
}

/// Revokes the token with public id `id`: its next request gets 401 `revoked`. Logged.
pub fn revoke_token(store: &dyn ServerStore, id: &str, actor: &Actor) -> Result<(), ServerError> {
    let found = transact(store, Access::Write, |tx| {
        let found = tx.revoke_token(id, actor.now_ms)?;
        if found {
            tx.log_admin(actor.now_ms, &actor.name, "revoke_token", &format!("id={id}"))?;
        }
        Ok(found)
    })?;
    if found {
        Ok(())
    } else {
        Err(ServerError::Invalid(format!("no token with id {id}")))
    }
}

/// The admin log, oldest first.
pub fn admin_log(store: &dyn ServerStore) -> Result<Vec<crate::tokens::AdminLogEntry>, ServerError> {
    transact(store, Access::Read, |tx| Ok(tx.admin_log()?))
}

/// Validates a master-data JSON document and makes it the current one. Returns its version.
pub fn import_master(store: &dyn ServerStore, json: &str) -> Result<u64, ServerError> {
    if !json.trim_start().starts_with('{') {
        return Err(ServerError::Invalid(
            "master data refused at /: must be a JSON object".into(),
        ));
    }
    json_path::parse::<MasterData>(json).map_err(|err| {
        ServerError::Invalid(format!(
            "master data refused at {}: {}",
            pointer(&err.path),
            err.reason
        ))
    })?;
    transact(store, Access::Write, |tx| {
        Ok(tx.put_json_doc(JsonDoc::Master, json)?)
    })
}

/// Validates a rule-settings JSON document and makes it the current one. Returns its version.
pub fn import_rules(store: &dyn ServerStore, json: &str) -> Result<u64, ServerError> {
    RuleSettings::from_json(json).map_err(|err| {
        ServerError::Invalid(format!(
            "rule settings refused at {}: {}",
            pointer(&err.path),
            err.reason
        ))
    })?;
    transact(store, Access::Write, |tx| {
        Ok(tx.put_json_doc(JsonDoc::Rules, json)?)
    })
}

fn pointer(path: &str) -> &str {
    if path.is_empty() {
        "/"
    } else {
        path
    }
}
