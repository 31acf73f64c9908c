//! One file per command; `run` dispatches.

pub(crate) mod admin;
mod admin_content;
mod admin_token;
pub(crate) mod audit;
mod company;
mod demo;
mod demo_data;
mod doctor;
pub(crate) mod evaluate;
pub(crate) mod fabricate;
mod init;
pub(crate) mod nfc;
pub(crate) mod nfc_card;
mod notes;
mod render;
mod seed;
pub(crate) mod serve;
mod store_key;
mod sync;
mod validate;
mod visit;
mod visit_comment;

use mrc_core::Store;

use crate::{
    args::{Cli, Command},
    error::CliError,
};

/// Runs the parsed command line.
pub fn run(cli: &Cli) -> Result<(), CliError> {
    let now = cli.local_now();
    match &cli.command {
        Command::Demo => demo::run(&cli.clock()),
        Command::Serve(args) => serve::run(args, cli.running_clock()),
        Command::Admin(command) => admin::run(command, &cli.clock(), cli.json),
        Command::Init => init::init(&open(cli)?, cli.json),
        Command::Import { file } => init::import(&open(cli)?, file, cli.json),
        Command::Fabricate(args) => fabricate::run(args, cli.json),
        Command::Seed(args) => seed::run(&open(cli)?, args, now.date_naive(), cli.json),
        Command::Audit(args) => audit::run(args, cli.json),
        Command::Evaluate(args) => evaluate::run(args, cli.json),
        Command::Visit(command) => visit::run(&open(cli)?, command, now, cli.json),
        Command::Doctor { hcp_id } => doctor::run(&open(cli)?, hcp_id, now.to_utc(), cli.json),
        Command::Notes(command) => notes::run(&open(cli)?, command, cli.json),
        Command::Nfc(command) => nfc::run(command, cli.json),
        Command::Card(command) => nfc_card::run_card(&open(cli)?, command, now.date_naive(), cli.json),
        Command::Tap(args) => nfc_card::run_tap(&open(cli)?, args, now),
        Command::Sync {
            server,
            token,
            token_file,
            ca_file,
            content_dir,
        } => {
            let token = sync::token(token.as_deref(), token_file.as_deref())?;
            let transport = sync::transport(server, &token, ca_file.as_deref())?;
            let dir = sync::content_dir(cli.db.as_deref(), content_dir.as_deref())?;
            let store = open(cli)?;
            sync::run(
                &store,
                &transport,
                &dir,
                now.date_naive(),
                cli.json,
                token_file.as_deref(),
            )
        }
        Command::Wipe { content_dir, yes } => {
            if !yes {
                return Err(CliError::Usage(
                    "wipe deletes this device's store and material files: add --yes".into(),
                ));
            }
            let dir = sync::content_dir(cli.db.as_deref(), content_dir.as_deref())?;
            let store = open(cli)?;
            store.wipe(Some(&dir))?;
            let path = store.path().display().to_string();
            crate::output::emit(cli.json, &serde_json::json!({"wiped": path}), |_| {
                format!("消去しました wiped: {path} and {}\n", dir.display())
            })
        }
        Command::Rekey { new_key_file } => store_key::rekey(cli, new_key_file.as_deref()),
        Command::Validate { file, reason } => validate::run(&open(cli)?, file, reason.as_deref(), cli.json),
    }
}

/// Opens the store named by `--db`, warning on stderr if an unreadable file had to be moved aside.
fn open(cli: &Cli) -> Result<Store, CliError> {
    let path = cli
        .db
        .as_ref()
        .ok_or_else(|| CliError::Usage("this command needs --db FILE".into()))?;
    let options = mrc_core::OpenOptions::new(cli.clock());
    let options = match store_key::current(cli)? {
        Some(key) => options.with_key(key),
        None => options,
    };
    let store = Store::open_with(path, options)?;
    if let Some(moved) = store.recovered_from() {
        eprintln!(
            "mrc: {} was not a readable database; it was moved to {} and a new empty store was created \
             (データベースを読めなかったため退避し、新しいストアを作成しました)",
            path.display(),
            moved.display()
        );
    }
    Ok(store)
}

/// Reads a UTF-8 text file.
fn read_text(path: &std::path::Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|err| CliError::file(path, err))
}

/// Parses a visit id given on the command line.
fn visit_id(text: &str) -> Result<mrc_core::VisitId, CliError> {
    text.parse().map_err(|_| {
        CliError::Usage(format!(
            "{text:?} is not a visit id (a UUID such as 0191f2b4-6a1e-7c3d-9a51-3f0c2d4e5a6b)"
        ))
    })
}

/// Writes the server's log to stderr, one line of fields per event, at the level `MRC_LOG` names (error, warn, info,
/// debug or trace), else at `default`.
pub fn start_log(default: tracing::Level) {
    let level = std::env::var("MRC_LOG").ok().and_then(|l| l.parse().ok());
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level.unwrap_or(default))
        .try_init();
}
