//! `mrc admin token`: mint a device token (the default), `list` them (never the token itself), `revoke ID`; and
//! `mrc admin log`, the append-only log of admin actions. Every action is logged with the operator's account.

use clap::{Args, Subcommand};
use mrc_server::{admin, Principal};
use serde_json::json;

use super::serve::StorageArgs;
use crate::error::CliError;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct TokenArgs {
    #[command(subcommand)]
    pub action: Option<TokenAction>,
    #[command(flatten)]
    pub mint: MintArgs,
}

#[derive(Debug, Subcommand)]
pub enum TokenAction {
    /// List the tokens: id, role, reps, created, expires, revoked, last seen, rotation (never the token itself).
    List {
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Revoke a token by its id (from `list`): its next request gets 401 `revoked` and the device wipes its data.
    Revoke {
        #[command(flatten)]
        storage: StorageArgs,
        /// The token's id (12 hex digits).
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct MintArgs {
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
    /// The token expires after this many days (default: never).
    #[arg(long, value_name = "DAYS")]
    pub expires_in_days: Option<u32>,
}

/// The operator as the admin log names them: the OS account running `mrc admin`.
pub fn operator(now_ms: i64) -> admin::Actor {
    let name = ["SUDO_USER", "USER", "LOGNAME"]
        .iter()
        .find_map(|key| std::env::var(key).ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "mrc-admin".into());
    admin::Actor::new(name, now_ms)
}

pub fn run(args: &TokenArgs, now_ms: i64, as_json: bool) -> Result<(), CliError> {
    let actor = operator(now_ms);
    match &args.action {
        None => mint(&args.mint, &actor, as_json),
        Some(TokenAction::List { storage }) => {
            let tokens = admin::list_tokens(&*storage.open()?).map_err(super::admin::refused)?;
            if as_json {
                println!("{}", json!(tokens));
            } else {
                let time = |ms: Option<i64>| {
                    ms.and_then(chrono::DateTime::from_timestamp_millis)
                        .map_or("—".into(), |t| {
                            t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                        })
                };
                println!("id            role         reps              created               expires               revoked               last seen             rotation");
                for t in tokens {
                    let rotation = match (&t.rotated_from, t.replaced_at_ms) {
                        (_, Some(at)) => format!("replaced {}", time(Some(at))),
                        (Some(from), None) => format!("from {from}"),
                        (None, None) => "—".into(),
                    };
                    println!(
                        "{:<13} {:<12} {:<17} {:<21} {:<21} {:<21} {:<21} {}",
                        t.id,
                        t.role,
                        t.reps.join(","),
                        time(Some(t.created_at_ms)),
                        time(t.expires_at_ms),
                        time(t.revoked_at_ms),
                        time(t.last_seen_ms),
                        rotation
                    );
                }
            }
            Ok(())
        }
        Some(TokenAction::Revoke { storage, id }) => {
            admin::revoke_token(&*storage.open()?, id, &actor).map_err(super::admin::refused)?;
            if as_json {
                println!("{}", json!({"revoked": id}));
            } else {
                println!(
                    "token {id} revoked; its device's next sync is refused (401 revoked) and wipes its data"
                );
            }
            Ok(())
        }
    }
}

fn mint(args: &MintArgs, actor: &admin::Actor, as_json: bool) -> Result<(), CliError> {
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
    let expires = args
        .expires_in_days
        .map(|days| actor.now_ms + i64::from(days) * 86_400_000);
    let store = args.storage.open()?;
    let token = admin::mint_token(&*store, &principal, actor, expires).map_err(super::admin::refused)?;
    if as_json {
        println!(
            "{}",
            json!({"token": token, "id": mrc_server::tokens::id_of(&token), "role": principal.role.as_str(),
                   "reps": principal.reps, "expires_at_ms": expires})
        );
    } else {
        println!("{token}");
    }
    Ok(())
}

/// `mrc admin log`: the admin actions, oldest first.
pub fn log(storage: &StorageArgs, as_json: bool) -> Result<(), CliError> {
    let entries = admin::admin_log(&*storage.open()?).map_err(super::admin::refused)?;
    if as_json {
        println!("{}", json!(entries));
    } else {
        for e in entries {
            let at = chrono::DateTime::from_timestamp_millis(e.at_ms).map_or(String::new(), |t| {
                t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            });
            println!("{:>5} {at} {} {} {}", e.seq, e.actor, e.action, e.detail);
        }
    }
    Ok(())
}
