//! `mrc admin content add FILE --material ID --version N`: store a material version's file on the server,
//! after checking its SHA-256 and size against the imported master data; `mrc admin content prune`: delete the
//! files no approved, unexpired material version references.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use mrc_core::clock::SharedClock;
use mrc_server::content::{add_material_content, prune_content, ContentError};
use serde_json::json;

use super::serve::StorageArgs;
use crate::error::CliError;

#[derive(Debug, Subcommand)]
pub enum ContentCommand {
    /// Store the file of one material version (its SHA-256 and size must match the master data).
    Add(AddArgs),
    /// Delete stored files that no approved, unexpired material version of the master data references.
    Prune {
        #[command(flatten)]
        storage: StorageArgs,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    #[command(flatten)]
    pub storage: StorageArgs,
    /// The content file (e.g. the material's PDF).
    pub file: PathBuf,
    /// The material id in the master data.
    #[arg(long, value_name = "ID")]
    pub material: String,
    /// The material version in the master data.
    #[arg(long, value_name = "N")]
    pub version: u32,
}

pub fn run(command: &ContentCommand, clock: &SharedClock, as_json: bool) -> Result<(), CliError> {
    match command {
        ContentCommand::Add(args) => add(args, clock, as_json),
        ContentCommand::Prune { storage } => prune(storage, clock, as_json),
    }
}

fn prune(storage: &StorageArgs, clock: &SharedClock, as_json: bool) -> Result<(), CliError> {
    // The market's day (the zone the landing page judges validity in), not the server machine's.
    let today = clock.now().with_timezone(&mrc_server::web::JST).date_naive();
    let store = storage.open()?;
    let pruned = prune_content(&*store, today).map_err(refused)?;
    let detail = format!("files={} bytes={}", pruned.files, pruned.bytes);
    super::admin::logged(&*store, clock, "prune_content", &detail)?;
    if as_json {
        println!(
            "{}",
            json!({"removed": pruned.files, "bytes": pruned.bytes, "kept": pruned.kept})
        );
    } else {
        println!(
            "不要になった資料ファイル {} 件を削除しました removed {} unreferenced files ({} bytes); {} kept",
            pruned.files, pruned.files, pruned.bytes, pruned.kept
        );
    }
    Ok(())
}

fn add(args: &AddArgs, clock: &SharedClock, as_json: bool) -> Result<(), CliError> {
    let bytes = std::fs::read(&args.file).map_err(|err| CliError::file(&args.file, err))?;
    let store = args.storage.open()?;
    let added = add_material_content(&*store, &args.material, args.version, bytes, clock.now_ms())
        .map_err(refused)?;
    let detail = format!(
        "material={} version={} sha256={}",
        args.material, args.version, added.sha256
    );
    super::admin::logged(&*store, clock, "add_content", &detail)?;
    if as_json {
        println!(
            "{}",
            json!({"material": args.material, "version": args.version, "sha256": added.sha256,
                   "size": added.size, "new": added.new})
        );
    } else {
        let state = if added.new { "stored" } else { "already stored" };
        println!(
            "教材 {} 版 {} のファイルを登録しました material {} version {}: {} bytes, sha256 {} ({state}); \
             devices download it at their next sync",
            args.material, args.version, args.material, args.version, added.size, added.sha256
        );
    }
    Ok(())
}

/// One sentence in Japanese and English for each refusal.
fn refused(err: ContentError) -> CliError {
    match err {
        ContentError::NoMasterData => CliError::Refused(format!(
            "マスターデータが未登録です。先に mrc admin import を実行してください ({err})"
        )),
        ContentError::UnknownMaterial { ref id, version } => CliError::Refused(format!(
            "教材 {id} 版 {version} はマスターデータにありません ({err})"
        )),
        ContentError::HashMismatch { .. } => CliError::Refused(format!(
            "ファイルの SHA-256 がマスターデータと一致しません ({err})"
        )),
        ContentError::SizeMismatch { .. } => {
            CliError::Refused(format!("ファイルのサイズがマスターデータと一致しません ({err})"))
        }
        ContentError::Server(other) => CliError::Failed(other.to_string()),
    }
}
