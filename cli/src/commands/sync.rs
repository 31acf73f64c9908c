//! `mrc sync`: one sync exchange with the server, then the material files the catalog needs, with a JSON summary.

use std::path::{Path, PathBuf};

use mrc_core::{
    content::{ContentError, ContentReport, FetchOptions},
    sync::{AuthRefusal, SyncError, SyncFailureKind, SyncReport, TransportError},
    Store,
};
use serde::Serialize;

use mrc_cli::http::HttpTransport;

use crate::{error::CliError, output};

/// What `mrc sync --json` prints: the sync report's fields and the content step's report.
#[derive(Serialize)]
struct Summary {
    #[serde(flatten)]
    sync: SyncReport,
    content: ContentReport,
    /// The public id of the new token written into `--token-file`, when the token was rotated.
    #[serde(skip_serializing_if = "Option::is_none")]
    token_rotated: Option<String>,
}

/// The content directory, absolute (materials store the paths a tap opens): `--content-dir`, else `<db>.content`
/// beside the database file.
/// The device token: `--token-file`, else `MRC_TOKEN`, else `--token` (with a warning: a command line is visible
/// to every process).
pub fn token(given: Option<&str>, file: Option<&Path>) -> Result<String, CliError> {
    if let Some(file) = file {
        let text = std::fs::read_to_string(file).map_err(|err| CliError::file(file, err))?;
        return non_empty(text.trim(), "the token file is empty");
    }
    if let Some(token) = given {
        eprintln!(
            "mrc: warning: --token puts the token on the command line, where every process can read it; use \
             MRC_TOKEN or --token-file (トークンは環境変数 MRC_TOKEN か --token-file で渡してください)"
        );
        return non_empty(token.trim(), "--token is empty");
    }
    match std::env::var("MRC_TOKEN") {
        Ok(token) => non_empty(token.trim(), "MRC_TOKEN is empty"),
        Err(_) => Err(CliError::Usage(
            "sync needs this device's token: MRC_TOKEN, --token-file FILE (or --token)".into(),
        )),
    }
}

fn non_empty(token: &str, why: &str) -> Result<String, CliError> {
    if token.is_empty() {
        Err(CliError::Usage(why.into()))
    } else {
        Ok(token.to_owned())
    }
}

pub fn content_dir(db: Option<&Path>, given: Option<&Path>) -> Result<PathBuf, CliError> {
    let dir = match given {
        Some(dir) => dir.to_path_buf(),
        None => {
            let db = db.ok_or_else(|| CliError::Usage("this command needs --db FILE".into()))?;
            let mut name = db.as_os_str().to_owned();
            name.push(".content");
            PathBuf::from(name)
        }
    };
    std::path::absolute(&dir).map_err(|err| CliError::file(&dir, err))
}

/// The HTTP transport to `server`, trusting only `ca_file` when given. Plain HTTP to another machine is allowed
/// (a private network behind a TLS load balancer) but warned about: the token and the visits travel in clear.
pub fn transport(server: &str, token: &str, ca_file: Option<&Path>) -> Result<HttpTransport, CliError> {
    let host = server
        .strip_prefix("http://")
        .map(|rest| rest.split(['/', ':']).next().unwrap_or(""));
    if host.is_some_and(|h| !matches!(h, "127.0.0.1" | "localhost" | "["))
        && !server.starts_with("http://[::1]")
    {
        eprintln!(
            "mrc: warning: {server} is plain HTTP to another machine: the token and the visits travel unencrypted; \
             use https:// (平文のHTTPです。https:// を使ってください)"
        );
    }
    match ca_file {
        None => Ok(HttpTransport::new(server, token)),
        Some(file) => {
            let pem = std::fs::read(file).map_err(|err| CliError::file(file, err))?;
            HttpTransport::with_ca(server, token, &pem)
                .map_err(|why| CliError::Usage(format!("{}: {why}", file.display())))
        }
    }
}

/// After a successful sync, with the token read from `file`: exchanges the token when it is due
/// ([`mrc_core::sync::ROTATE_EVERY_DAYS`]) and writes the new one into the file, atomically (a new file with the
/// same permissions, renamed over it). The old token keeps working until the new one is used, so a failure here
/// loses nothing: it is a warning, and the next sync tries again.
fn rotate_if_due(store: &Store, transport: &HttpTransport, file: &Path) -> Option<String> {
    let rotated = (|| -> Result<Option<String>, String> {
        if !store
            .token_rotation_due(mrc_core::sync::ROTATE_EVERY_DAYS)
            .map_err(|e| e.to_string())?
        {
            return Ok(None);
        }
        let new = store.rotate_token(transport).map_err(|e| e.to_string())?;
        replace_file(file, &new.token).map_err(|e| e.to_string())?;
        Ok(Some(new.id))
    })();
    rotated.unwrap_or_else(|why| {
        eprintln!(
            "mrc: warning: the token was not rotated ({why}); the current token still works              (トークンを更新できませんでした。現在のトークンは引き続き有効です)"
        );
        None
    })
}

/// Writes `text` into `file` through a sibling file renamed over it, keeping the file's permissions.
fn replace_file(file: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut name = file.as_os_str().to_owned();
    name.push(".new");
    let new = PathBuf::from(name);
    let permissions = std::fs::metadata(file)?.permissions();
    let mut out = std::fs::File::create(&new)?;
    out.set_permissions(permissions)?;
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")?;
    out.sync_all()?;
    std::fs::rename(&new, file)
}

pub fn run(
    store: &Store,
    transport: &HttpTransport,
    dir: &Path,
    today: chrono::NaiveDate,
    as_json: bool,
    token_file: Option<&Path>,
) -> Result<(), CliError> {
    let mut last = (0, 0);
    let sync = store
        .sync(transport, &mut |p| {
            if !as_json && p.total > 0 && (p.done, p.total) != last {
                eprintln!("同期中 syncing {}/{}", p.done, p.total);
            }
            last = (p.done, p.total);
        })
        .map_err(|err| stopped(as_json, err.kind(), sync_message(err)))?;
    let mut shown = 0;
    let content = store
        .fetch_content(transport, &FetchOptions::new(dir, today), &mut |p| {
            // One line per tenth, so a slow link shows it is moving without flooding the terminal.
            let tenth = p
                .done_bytes
                .saturating_mul(10)
                .checked_div(p.total_bytes)
                .unwrap_or(10);
            if !as_json && p.total_bytes > 0 && tenth != shown {
                eprintln!(
                    "資料を取得中 fetching materials {}/{} B",
                    p.done_bytes, p.total_bytes
                );
            }
            shown = tenth;
        })
        .map_err(|err| {
            let message = match &err {
                ContentError::Transport(e) => format!(
                    "資料の取得が中断しました。もう一度 sync すると続きから再開します \
                     (material download interrupted; sync again to resume): {e}"
                ),
                other => format!("資料を保存できません (cannot store materials): {other}"),
            };
            stopped(as_json, err.kind(), message)
        })?;
    for failure in &content.failed {
        eprintln!(
            "資料 {} を取得できませんでした (material file not fetched): {}",
            failure.sha256, failure.reason
        );
    }
    let token_rotated = token_file.and_then(|file| rotate_if_due(store, transport, file));
    let summary = Summary {
        sync,
        content,
        token_rotated,
    };
    output::emit(as_json, &summary, |s| {
        let (r, c) = (&s.sync, &s.content);
        let rotated = s.token_rotated.as_ref().map_or(String::new(), |id| {
            format!("トークンを更新しました token rotated: {id} (written to the token file)\n")
        });
        let reconciled = if r.reconciled {
            "サーバーは以前の状態に戻っていました（バックアップからの復元など）。全訪問を照合し、不足分を再送しました。\n\
             The server no longer held what this device last saw (restored from a backup, or replaced): every visit \
             was checked against it and what it lacked was sent again.\n"
        } else {
            ""
        };
        format!(
            "同期完了 Synced: pushed {} visits, pulled {}, {} events; {} B up, {} B down, {} round trips, {} ms\n\
             資料 Materials: {} files wanted, {} downloaded ({} B, {} resumed), {} removed, {} failed\n{reconciled}{rotated}",
            r.pushed,
            r.pulled,
            r.events_sent,
            r.bytes_up,
            r.bytes_down,
            r.round_trips,
            r.duration_ms,
            c.wanted,
            c.downloaded,
            c.bytes,
            c.resumed,
            c.removed,
            c.failed.len()
        )
    })
}

/// The error a stopped sync ends with; with `--json` its kind and message are also printed on stdout
/// (`{"ok": false, "kind": "offline", "message": …}`), so a script reads one answer either way.
fn stopped(as_json: bool, kind: SyncFailureKind, message: String) -> CliError {
    if as_json {
        let answer = serde_json::json!({"ok": false, "kind": kind, "message": message});
        println!("{answer}");
    }
    CliError::Sync { kind, message }
}

/// One sentence, in Japanese and English, on what stopped the sync and what to do.
fn sync_message(err: SyncError) -> String {
    match err {
        SyncError::Unauthorized(AuthRefusal::Revoked) => "sync refused (401 revoked): this device's token was revoked; \
             its local data should be wiped (`mrc --db FILE wipe`) (トークンが失効しました。端末のデータを消去してください)"
            .into(),
        SyncError::Unauthorized(AuthRefusal::Rotated) => "sync refused (401 rotated): this token was exchanged for a newer \
             one, which has been used since; sync with the newer token (トークンは更新済みです。新しいトークンで同期してください)"
            .into(),
        SyncError::Unauthorized(reason) => format!(
            "sync refused (401 {}): nothing lost, but retrying will not help: ask the administrator for a valid token \
             (同期を拒否されました。管理者にトークンを確認してください)",
            reason.code()
        ),
        SyncError::Transport(TransportError::Status { status: 403, message }) => format!(
            "sync refused (403): {message}; nothing lost, but retrying will not help: ask the administrator for a \
             valid token (同期を拒否されました。管理者にトークンを確認してください)"
        ),
        other if other.kind() == SyncFailureKind::Protocol => format!(
            "sync failed, nothing lost: the server does not answer in this app's protocol; update the app or the \
             server (サーバーと通信形式が合いません): {other}"
        ),
        other => format!("sync failed, nothing lost; try again (同期できませんでした。もう一度お試しください): {other}"),
    }
}
