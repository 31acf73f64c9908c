//! `mrc admin token|log|import|rules|content|demo-data|company`: the server operator's commands, on the same storage as `mrc serve`.

use std::path::PathBuf;

use clap::Subcommand;
use mrc_core::clock::SharedClock;
use mrc_server::{admin, ServerError};
use serde_json::json;

use super::{read_text, serve::StorageArgs};
use crate::error::CliError;

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Mint a device token for a rep (or a manager token for a team; prints it once on stdout), or `list` or
    /// `revoke` tokens.
    Token(super::admin_token::TokenArgs),
    /// The append-only log of admin actions (mint, revoke, import, rules, content): who, when, what.
    Log {
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Replace the server's master data with a JSON file (validated); devices get it at their next sync.
    Import {
        #[command(flatten)]
        storage: StorageArgs,
        /// The master-data JSON file.
        file: PathBuf,
    },
    /// Fill a data folder with a demo month (3 reps, taps, material files, cards, a head-office token) for the
    /// landing page and the head-office view; prints the card paths and the token as JSON.
    DemoData(super::demo_data::DemoDataArgs),
    /// Fill a store with a generated company (reps × days of visits, taps and opens, master data) and audit
    /// every rep, for benchmarks and demos; prints what it wrote and how long it took as JSON.
    Company(super::company::CompanyArgs),
    /// Replace the server's validation rule settings with a JSON file (validated).
    Rules {
        #[command(flatten)]
        storage: StorageArgs,
        /// The rule-settings JSON file.
        file: PathBuf,
    },
    /// Material content files (stored by SHA-256; devices download them after syncing).
    #[command(subcommand)]
    Content(super::admin_content::ContentCommand),
}

pub fn run(command: &AdminCommand, clock: &SharedClock, as_json: bool) -> Result<(), CliError> {
    match command {
        AdminCommand::Token(args) => super::admin_token::run(args, clock.now_ms(), as_json),
        AdminCommand::Log { storage } => super::admin_token::log(storage, as_json),
        AdminCommand::DemoData(args) => super::demo_data::run(args, clock),
        AdminCommand::Company(args) => super::company::run(args, clock),
        AdminCommand::Import { storage, file } => {
            let text = read_text(file)?;
            let store = storage.open()?;
            let version = admin::import_master(&*store, &text).map_err(refused)?;
            logged(&*store, clock, "import_master", &format!("version={version}"))?;
            report("master data", version, as_json);
            Ok(())
        }
        AdminCommand::Content(command) => super::admin_content::run(command, clock, as_json),
        AdminCommand::Rules { storage, file } => {
            let text = read_text(file)?;
            let store = storage.open()?;
            let version = admin::import_rules(&*store, &text).map_err(refused)?;
            logged(&*store, clock, "import_rules", &format!("version={version}"))?;
            report("rule settings", version, as_json);
            Ok(())
        }
    }
}

fn report(what: &str, version: u64, as_json: bool) {
    if as_json {
        println!("{}", json!({"imported": what, "version": version}));
    } else {
        println!("{what} version {version} stored; devices receive it at their next sync");
    }
}

/// Appends an admin action to the server's log, as the operator running this command.
pub(crate) fn logged(
    store: &dyn mrc_server::ServerStore,
    clock: &SharedClock,
    action: &str,
    detail: &str,
) -> Result<(), CliError> {
    super::admin_token::operator(clock.now_ms())
        .log(store, action, detail)
        .map_err(refused)
}

pub(crate) fn refused(err: ServerError) -> CliError {
    match err {
        ServerError::Invalid(_) | ServerError::BadRequest(_) => CliError::Refused(err.to_string()),
        other => CliError::Failed(other.to_string()),
    }
}
