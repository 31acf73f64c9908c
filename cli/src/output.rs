//! Printing results: readable text by default, JSON with `--json`.

use serde::Serialize;

use crate::error::CliError;

/// Prints `value` as pretty JSON on stdout.
pub fn json<T: Serialize>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Failed(e.to_string()))?;
    println!("{text}");
    Ok(())
}

/// Prints `value` as JSON when `as_json`, otherwise the text `human` builds.
pub fn emit<T: Serialize>(
    as_json: bool,
    value: &T,
    human: impl FnOnce(&T) -> String,
) -> Result<(), CliError> {
    if as_json {
        json(value)
    } else {
        print!("{}", human(value));
        Ok(())
    }
}
