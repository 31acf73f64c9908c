//! Operator commands: mint a device token, replace the master data or the rule settings (each import bumps its
//! version, so every device receives it at its next sync).

use mrc_core::{json_path, master::MasterData, validate::RuleSettings};

use crate::{
    auth::{new_token, token_hash},
    store::{transact, Access, JsonDoc},
    Principal, ServerError, ServerStore,
};

/// Creates a token for `principal` and returns it: shown once, only its hash is stored.
pub fn mint_token(
    store: &dyn ServerStore,
    principal: &Principal,
    now_ms: i64,
) -> Result<String, ServerError> {
    principal.check()?;
    let token = new_token()?;
    let hash = token_hash(&token);
    transact(store, Access::Write, |tx| {
        Ok(tx.add_token(&hash, principal, now_ms)?)
    })?;
    Ok(token)
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
