//! The store key on the command line: read from `--key-file` or `MRC_DB_KEY` (never from an argument, which every
//! process of the machine can read), and `mrc rekey`.

use std::path::Path;

use mrc_core::{Store, StoreKey};

use crate::{args::Cli, error::CliError};

/// The environment variable that may hold the store key (64 hexadecimal digits).
const KEY_VAR: &str = "MRC_DB_KEY";
/// The environment variable that may hold the new key of `mrc rekey`.
const NEW_KEY_VAR: &str = "MRC_DB_NEW_KEY";

/// The key of the store named by `--db`: from `--key-file`, else `MRC_DB_KEY`, else none (a plain store).
pub fn current(cli: &Cli) -> Result<Option<StoreKey>, CliError> {
    key_from(cli.key_file.as_deref(), KEY_VAR, "--key-file")
}

/// `mrc rekey`: re-encrypts the closed store from its current key (or plain) to the new one.
pub fn rekey(cli: &Cli, new_key_file: Option<&Path>) -> Result<(), CliError> {
    let path = cli
        .db
        .as_ref()
        .ok_or_else(|| CliError::Usage("rekey needs --db FILE".into()))?;
    let new = key_from(new_key_file, NEW_KEY_VAR, "--new-key-file")?.ok_or_else(|| {
        CliError::Usage(format!(
            "rekey needs the new key: --new-key-file FILE or {NEW_KEY_VAR}"
        ))
    })?;
    let old = current(cli)?;
    Store::rekey(path, old.as_ref(), &new)?;
    let shown = path.display().to_string();
    crate::output::emit(cli.json, &serde_json::json!({"rekeyed": shown}), |_| {
        format!("新しい鍵で暗号化しました re-encrypted with the new key: {shown}\n")
    })
}

/// A key from `file` (its flag named `flag`) or the environment variable `var`; both given is ambiguous.
fn key_from(file: Option<&Path>, var: &str, flag: &str) -> Result<Option<StoreKey>, CliError> {
    let from_env = std::env::var(var).ok().filter(|value| !value.trim().is_empty());
    match (file, from_env) {
        (Some(_), Some(_)) => Err(CliError::Usage(format!(
            "both {flag} and {var} give a key: keep one"
        ))),
        (Some(file), None) => {
            let text = zeroize::Zeroizing::new(
                std::fs::read_to_string(file).map_err(|err| CliError::file(file, err))?,
            );
            Ok(Some(StoreKey::from_hex(&text)?))
        }
        (None, Some(value)) => Ok(Some(StoreKey::from_hex(&zeroize::Zeroizing::new(value))?)),
        (None, None) => Ok(None),
    }
}
