//! `mrc`: the command-line door into the MR Companion core for newcomers and support engineers.
//!
//! Exit codes: 0 success, 1 refused input (bad data, unknown id), 2 usage error.

mod args;
mod commands;
mod error;

mod output;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
        }
    };
    // The server's events: every request while serving; warnings and failures otherwise (a verdicts worker
    // that `mrc admin` starts fails loudly, as it would under `mrc serve`).
    let serving = matches!(cli.command, args::Command::Serve(_));
    commands::start_log(if serving {
        tracing::Level::INFO
    } else {
        tracing::Level::WARN
    });
    match commands::run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if !matches!(err, error::CliError::Silent(_)) {
                eprintln!("mrc: {err}");
            }
            ExitCode::from(err.exit_code())
        }
    }
}
