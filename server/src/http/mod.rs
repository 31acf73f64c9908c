//! The HTTP surface: `POST /v1/sync`, `POST /v1/pull` (CBOR, bearer token) and `GET /v1/health`.
//!
//! Statuses: 400 malformed body, 401 missing or unknown token, 403 outside the token's scope, 409 another protocol
//! version, 413 body over `MAX_BODY_BYTES` or more than `MAX_DOCS_PER_REQUEST` items, 500 internal (logged without
//! personal data). Errors carry one sentence as `text/plain`.

mod handlers;
mod reply;
mod request;

use std::{net::SocketAddr, sync::Arc};

use axum::{
    routing::{get, post},
    Router,
};
use tokio::{net::TcpListener, runtime::Builder};

use crate::{
    doc_cache::{DocCache, DEFAULT_CAPACITY},
    ServerStore,
};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn ServerStore>,
    /// Visit documents kept between requests (checked against the stored heads; `crate::doc_cache`).
    pub docs: Arc<DocCache>,
}

/// The router over `store`.
pub fn router(store: Arc<dyn ServerStore>) -> Router {
    Router::new()
        .route("/v1/sync", post(handlers::sync))
        .route("/v1/pull", post(handlers::pull))
        .route("/v1/health", get(handlers::health))
        .with_state(AppState {
            store,
            docs: Arc::new(DocCache::new(DEFAULT_CAPACITY)),
        })
}

/// Serves `store` on `listener` until the process ends.
pub async fn serve(listener: TcpListener, store: Arc<dyn ServerStore>) -> std::io::Result<()> {
    axum::serve(listener, router(store)).await
}

/// Binds `addr`, tells `ready` the bound address (the real port when `addr` has port 0), then serves until the
/// process ends, blocking the calling thread on a runtime of its own. Open the store before calling this.
pub fn run(
    addr: SocketAddr,
    store: Arc<dyn ServerStore>,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let runtime = Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let listener = TcpListener::bind(addr).await?;
        ready(listener.local_addr()?);
        serve(listener, store).await
    })
}
