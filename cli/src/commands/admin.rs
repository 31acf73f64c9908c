//! `mrc admin token|import|rules|content`: the server operator's commands, on the same storage as `mrc serve`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use mrc_core::clock::SharedClock;
use mrc_server::{admin, Principal, ServerError};
use serde_json::json;

use super::{read_text, serve::StorageArgs};
use crate::error::CliError;

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Mint a device token for a rep (or a manager token for a team); prints it once on stdout.
    Token(TokenArgs),
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

#[derive(Debug, Args)]
pub struct TokenArgs {
    #[command(flatten)]
    pub storage: StorageArgs,
    /// The rep the token acts for; with --manager, repeat it for each rep of the team.
    #[arg(long = "rep", value_name = "ID", required_unless_present = "head_office")]
    pub reps: Vec<String>,
    /// A manager's token: reads the visits of the given reps and adds comments to them, changes nothing else.
    #[arg(long, conflicts_with = "head_office")]
    pub manager: bool,
    /// A head-office token: signs in to the web view (`/admin`), syncs nothing.
    #[arg(long, conflicts_with = "reps")]
    pub head_office: bool,
}

pub fn run(command: &AdminCommand, clock: &SharedClock, as_json: bool) -> Result<(), CliError> {
    match command {
        AdminCommand::Token(args) => {
            let principal = if args.head_office {
                Principal::head_office()
            } else if args.manager {
                Principal::manager(args.reps.iter().cloned())
            } else {
                match args.reps.as_slice() {
                    [rep] => Principal::rep(rep.clone()),
                    _ => {
                        return Err(CliError::Usage(
                            "a rep token names one --rep (add --manager for a team)".into(),
                        ))
                    }
                }
            };
            let store = args.storage.open()?;
            let now_ms = clock.now_ms();
            let token = admin::mint_token(&*store, &principal, now_ms).map_err(refused)?;
            if as_json {
                println!(
                    "{}",
                    json!({"token": token, "role": principal.role.as_str(), "reps": principal.reps})
                );
            } else {
                println!("{token}");
            }
            Ok(())
        }
        AdminCommand::DemoData(args) => super::demo_data::run(args, clock),
        AdminCommand::Import { storage, file } => {
            let text = read_text(file)?;
            let version = admin::import_master(&*storage.open()?, &text).map_err(refused)?;
            report("master data", version, as_json);
            Ok(())
        }
        AdminCommand::Content(command) => super::admin_content::run(command, clock, as_json),
        AdminCommand::Rules { storage, file } => {
            let text = read_text(file)?;
            let version = admin::import_rules(&*storage.open()?, &text).map_err(refused)?;
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

fn refused(err: ServerError) -> CliError {
    match err {
        ServerError::Invalid(_) | ServerError::BadRequest(_) => CliError::Refused(err.to_string()),
        other => CliError::Failed(other.to_string()),
    }
}
