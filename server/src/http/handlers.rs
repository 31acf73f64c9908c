//! The route handlers: authenticate, read, decode, run the exchange off the async workers, encode.

use axum::{
    body::Body,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use mrc_core::sync::wire::{encode, PullRequest, SyncRequest, TokenRequest, TokenResponse, PROTOCOL_VERSION};

use super::{
    reply::{cbor, ApiError},
    request::{self, blocking},
    AppState,
};
use crate::{
    content, exchange,
    store::{transact, Access},
};

/// `POST /v1/sync`.
pub async fn sync(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let result: Result<Response, ApiError> = async {
        let principal = request::principal(&state, &headers).await?;
        let bytes = request::body(&headers, body).await?;
        let message: SyncRequest = request::decode(&bytes)?;
        let (store, docs) = (state.store.clone(), state.docs.clone());
        let now_ms = state.clock.now_ms();
        let response =
            blocking(move || exchange::sync_cached(&*store, &docs, &principal, &message, now_ms)).await??;
        Ok(cbor(encode(&response)))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

/// `POST /v1/pull`.
pub async fn pull(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let result: Result<Response, ApiError> = async {
        let principal = request::principal(&state, &headers).await?;
        let bytes = request::body(&headers, body).await?;
        let message: PullRequest = request::decode(&bytes)?;
        let (store, docs) = (state.store.clone(), state.docs.clone());
        let response =
            blocking(move || exchange::pull_cached(&*store, &docs, &principal, &message)).await??;
        Ok(cbor(encode(&response)))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

/// `POST /v1/token`: exchanges the request's token for a new one (same principal, same expiry).
pub async fn rotate_token(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let result: Result<Response, ApiError> = async {
        let (_, hash) = request::authenticate(&state, &headers).await?;
        let bytes = request::body(&headers, body).await?;
        let _: TokenRequest = request::decode(&bytes)?;
        let (store, now_ms) = (state.store.clone(), state.clock.now_ms());
        let (token, info) = blocking(move || crate::admin::rotate_token(&*store, &hash, now_ms)).await??;
        Ok(cbor(encode(&TokenResponse {
            v: PROTOCOL_VERSION,
            token,
            id: info.id,
            expires_at_ms: info.expires_at_ms,
        })))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

/// `GET /v1/content/{sha256}`: any authenticated principal may read any material file (materials are not
/// personal data, and their hashes come from the master data every device has).
pub async fn content(
    State(state): State<AppState>,
    Path(sha256): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(err) = request::principal(&state, &headers).await {
        return err.into_response();
    }
    let range = headers
        .get(axum::http::header::RANGE)
        .and_then(|value| value.to_str().ok());
    content::serve_range(state.store.clone(), &sha256, range).await
}

/// `GET /v1/health`: 200 when the store answers, 503 when it does not.
pub async fn health(State(state): State<AppState>) -> Response {
    let store = state.store.clone();
    match blocking(move || transact(&*store, Access::Read, |_| Ok(()))).await {
        Ok(Ok(())) => (StatusCode::OK, "ok\n").into_response(),
        Ok(Err(err)) => {
            tracing::error!(error = %err, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "the store is not answering\n").into_response()
        }
        Err(err) => err.into_response(),
    }
}
