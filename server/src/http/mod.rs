//! The HTTP surface: `POST /v1/sync`, `POST /v1/pull` (CBOR, bearer token), `GET /v1/content/{sha256}` (a
//! material file by byte range, bearer token; see [`crate::content::serve_range`]) and `GET /v1/health`.
//!
//! Statuses: 400 malformed body, 401 missing or unknown token, 403 outside the token's scope, 409 another protocol
//! version, 413 body over `MAX_BODY_BYTES` or more than `MAX_DOCS_PER_REQUEST` items, 500 internal (logged without
//! personal data). Content adds 206 (a range), 404 (not stored) and 416 (a range past the end). Errors carry one
//! sentence as `text/plain`.

mod handlers;
pub mod log;
mod reply;
mod request;

use std::{net::SocketAddr, sync::Arc};

use axum::{
    routing::{get, post},
    Router,
};
use mrc_core::clock::SharedClock;
use tokio::{net::TcpListener, runtime::Builder};

use crate::{
    doc_cache::{DocCache, DEFAULT_CAPACITY},
    web::{TapDesk, WebConfig},
    ServerStore,
};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn ServerStore>,
    /// Visit documents kept between requests (checked against the stored heads; `crate::doc_cache`).
    pub docs: Arc<DocCache>,
    /// The server's time: stamped on stored changes and events, sent to devices as the trusted time.
    pub clock: SharedClock,
}

/// The router over `store`, telling time by `clock`.
pub fn router(store: Arc<dyn ServerStore>, clock: SharedClock) -> Router {
    Router::new()
        .route("/v1/sync", post(handlers::sync))
        .route("/v1/pull", post(handlers::pull))
        .route("/v1/token", post(handlers::rotate_token))
        .route("/v1/content/{sha256}", get(handlers::content))
        .route("/v1/health", get(handlers::health))
        .route_layer(axum::middleware::from_fn(log::requests))
        .with_state(AppState {
            store,
            docs: Arc::new(DocCache::new(DEFAULT_CAPACITY)),
            clock,
        })
}

/// The whole application: the sync API, plus the landing page and the head-office view when a tap desk is
/// given. Both tell time by `clock`.
pub fn app(
    store: Arc<dyn ServerStore>,
    clock: SharedClock,
    web: Option<(Arc<TapDesk>, WebConfig)>,
) -> Router {
    let api = router(store.clone(), clock.clone());
    match web {
        Some((desk, config)) => api.merge(crate::web::router(store, desk, config, clock)),
        None => api,
    }
}

/// Serves the sync API over `store` on `listener` until the process ends.
pub async fn serve(
    listener: TcpListener,
    store: Arc<dyn ServerStore>,
    clock: SharedClock,
) -> std::io::Result<()> {
    serve_app(listener, router(store, clock)).await
}

/// Serves `app` on `listener` until the process ends (handlers may ask for the peer address).
pub async fn serve_app(listener: TcpListener, app: Router) -> std::io::Result<()> {
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await
}

/// Binds `addr`, tells `ready` the bound address (the real port when `addr` has port 0), then serves the sync
/// API until the process ends, blocking the calling thread on a runtime of its own. Open the store first.
pub fn run(
    addr: SocketAddr,
    store: Arc<dyn ServerStore>,
    clock: SharedClock,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    run_app(addr, router(store, clock), ready)
}

/// A certificate chain and its private key, PEM files, for serving HTTPS.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: std::path::PathBuf,
    pub key: std::path::PathBuf,
}

/// [`run_app`] over TLS (rustls with ring): `ready` gets the bound address once the certificate is loaded.
pub fn run_app_tls(
    addr: SocketAddr,
    app: Router,
    tls: &TlsFiles,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    // rustls uses its only compiled-in provider, ring (the workspace enables no other): no process default needed.
    let runtime = Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(&tls.cert, &tls.key).await?;
        let handle = axum_server::Handle::new();
        let server = axum_server::bind_rustls(addr, config).handle(handle.clone());
        let serving = tokio::spawn(server.serve(app.into_make_service_with_connect_info::<SocketAddr>()));
        match handle.listening().await {
            Some(bound) => ready(bound),
            None => return Err(std::io::Error::other("the TLS server did not start")),
        }
        serving.await.map_err(std::io::Error::other)?
    })
}

/// [`run`] for any application (see [`app`]).
pub fn run_app(addr: SocketAddr, app: Router, ready: impl FnOnce(SocketAddr)) -> std::io::Result<()> {
    let runtime = Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let listener = TcpListener::bind(addr).await?;
        ready(listener.local_addr()?);
        serve_app(listener, app).await
    })
}
