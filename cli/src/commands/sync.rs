//! `mrc sync`: one sync exchange with the server, with a JSON summary.

use mrc_core::{sync::SyncError, Store};

use mrc_cli::http::HttpTransport;

use crate::{error::CliError, output};

pub fn run(store: &Store, server: &str, token: &str, as_json: bool) -> Result<(), CliError> {
    let transport = HttpTransport::new(server, token);
    let mut last = (0, 0);
    let report = store
        .sync(&transport, &mut |p| {
            if !as_json && p.total > 0 && (p.done, p.total) != last {
                eprintln!("同期中 syncing {}/{}", p.done, p.total);
            }
            last = (p.done, p.total);
        })
        .map_err(|err| match err {
            SyncError::Transport(e) => CliError::Failed(format!("sync failed, nothing lost; try again: {e}")),
            other => CliError::Failed(format!("sync failed, nothing lost; try again: {other}")),
        })?;
    output::emit(as_json, &report, |r| {
        format!(
            "同期完了 Synced: pushed {} visits, pulled {}, {} events; {} B up, {} B down, {} round trips, {} ms\n",
            r.pushed, r.pulled, r.events_sent, r.bytes_up, r.bytes_down, r.round_trips, r.duration_ms
        )
    })
}
