//! Printing results: readable text by default, JSON with `--json`.

use std::io::Write;

use serde::Serialize;

use crate::error::CliError;

/// Prints `value` as pretty JSON on stdout.
pub fn json<T: Serialize>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Failed(e.to_string()))?;
    write_out(&format!("{text}\n"))
}

/// Writes `text` to stdout. A reader that stopped reading (`mrc visit list | head`) ends the command quietly with
/// exit code 0 instead of a panic; any other write error is reported.
fn write_out(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Err(CliError::Silent(0)),
        Err(err) => Err(CliError::Failed(format!("cannot write the output: {err}"))),
    }
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
        write_out(&human(value))
    }
}
