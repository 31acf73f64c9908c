//! `mrc serve`: the sync server on SQLite (`--data DIR`) or PostgreSQL (`--postgres URL`), with the card landing
//! page and the head-office view when a card registry is at hand, until killed.

use std::{io::Write, net::SocketAddr, path::PathBuf};

use clap::{ArgGroup, Args};
use mrc_server::StoreConfig;

use crate::error::CliError;

/// Where the server keeps its data: exactly one of `--data` and `--postgres`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("storage").required(true).args(["data", "postgres"])))]
pub struct StorageArgs {
    /// A data directory: the embedded SQLite store DIR/server.db (created if missing).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// A PostgreSQL URL (postgresql://user:password@host:port/db), shared by several servers.
    #[arg(long, value_name = "URL")]
    pub postgres: Option<String>,
}

impl StorageArgs {
    /// The store these arguments name.
    pub fn config(&self) -> Result<StoreConfig, CliError> {
        match (&self.data, &self.postgres) {
            (Some(dir), None) => Ok(StoreConfig::Sqlite(dir.clone())),
            (None, Some(url)) => Ok(StoreConfig::Postgres(url.clone())),
            _ => Err(CliError::Usage(
                "give exactly one of --data DIR and --postgres URL".into(),
            )),
        }
    }

    /// Opens the store (creating or upgrading its schema).
    pub fn open(&self) -> Result<std::sync::Arc<dyn mrc_server::ServerStore>, CliError> {
        // The store's message never contains the URL (so never a password).
        mrc_server::open(&self.config()?)
            .map_err(|err| CliError::Failed(format!("cannot open the server store: {err}")))
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub storage: StorageArgs,
    /// The address to listen on; port 0 picks a free port (the first line of output tells which).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// The card registry that judges browser taps (a local store: `mrc --db FILE card …` fills it)
    /// [default: DIR/cards.db with --data; without it, --postgres serves no web pages].
    #[arg(long, value_name = "FILE")]
    pub cards: Option<PathBuf>,
    /// Card taps per client address and minute on the landing page.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub tap_limit: u32,
    /// The company's deadline, in hours from the visit, for forwarding a possible adverse event to
    /// pharmacovigilance: the insights page shows safety information not forwarded by then as overdue.
    #[arg(long, value_name = "HOURS", default_value_t = 24)]
    pub safety_forward_hours: u32,
    /// Serve HTTPS with this certificate chain (PEM); needs --tls-key. Without both, plain HTTP (for a load
    /// balancer that terminates TLS in front of the server, on loopback or a private network only).
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM).
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
}

impl ServeArgs {
    /// The card registry file, if the web pages are served.
    fn cards(&self) -> Option<PathBuf> {
        self.cards
            .clone()
            .or_else(|| self.storage.data.as_ref().map(|dir| dir.join("cards.db")))
    }
}

/// Prints `listening on http://ADDR` (or `https://`) as the first line of stdout, then serves until the process is killed.
pub fn run(args: &ServeArgs, clock: mrc_core::clock::SharedClock) -> Result<(), CliError> {
    let store = args.storage.open()?;
    let kind = store.kind();
    let web = match args.cards() {
        Some(path) => {
            let desk = mrc_server::web::TapDesk::open(&path)
                .map_err(|err| CliError::Failed(format!("cannot open the card registry: {err}")))?;
            let limit = mrc_server::web::RateLimit {
                burst: args.tap_limit,
                per_minute: args.tap_limit,
            };
            let config = mrc_server::web::WebConfig {
                card_limit: limit,
                safety_forward_within: std::time::Duration::from_secs(
                    u64::from(args.safety_forward_hours) * 3600,
                ),
                ..mrc_server::web::WebConfig::default()
            };
            Some((std::sync::Arc::new(desk), config))
        }
        None => {
            tracing::warn!("no --cards registry given: serving the sync API only, no web pages");
            None
        }
    };
    let app = mrc_server::http::app(store, clock, web);
    let tls = args
        .tls_cert
        .clone()
        .zip(args.tls_key.clone())
        .map(|(cert, key)| mrc_server::http::TlsFiles { cert, key });
    let scheme = if tls.is_some() { "https" } else { "http" };
    let ready = |addr| {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "listening on {scheme}://{addr}");
        let _ = stdout.flush();
        tracing::info!(storage = %kind, %addr, tls = tls.is_some(), "serving until stopped");
    };
    match &tls {
        Some(files) => mrc_server::http::run_app_tls(args.listen, app, files, ready),
        None => mrc_server::http::run_app(args.listen, app, ready),
    }
    .map_err(|err| CliError::Failed(format!("the server on {} stopped: {err}", args.listen)))
}
