//! Reading a request: the bearer token's principal, the body within its limit, and the CBOR message.

use axum::{
    body::Body,
    http::{header, HeaderMap},
};
use http_body_util::BodyExt;
use mrc_core::sync::wire::{self, Message, MAX_BODY_BYTES};
use serde::Deserialize;

use super::{reply::ApiError, AppState};
use crate::{
    auth::{bearer, token_hash},
    store::{transact, Access},
    tokens::{self, Refusal},
    Principal,
};

/// The principal of the request's bearer token (401 without one, or with one the server does not know).
pub async fn principal(state: &AppState, headers: &HeaderMap) -> Result<Principal, ApiError> {
    Ok(authenticate(state, headers).await?.0)
}

/// The principal of the request's bearer token and the token's hash. The first use of a token obtained by rotation
/// retires the token it replaced.
pub async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<(Principal, [u8; 32]), ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(bearer)
        .ok_or(ApiError::unauthorized(Refusal::Missing))?;
    let hash = token_hash(token);
    let (store, now_ms) = (state.store.clone(), state.clock.now_ms());
    let found = blocking(move || transact(&*store, Access::Read, |tx| Ok(tx.token(&hash)?))).await??;
    let touch = found.as_ref().is_some_and(|t| tokens::should_touch(t, now_ms));
    let retires = found
        .as_ref()
        .and_then(|t| t.retires_on_first_use())
        .map(str::to_owned);
    let principal = tokens::admit(found, now_ms).map_err(ApiError::unauthorized)?;
    if touch {
        // "Last seen", at most once a minute per token, and the retirement of the token this one replaced, in one
        // transaction: a failure here must not refuse the request (both are tried again at the next use).
        let store = state.store.clone();
        let _ = blocking(move || {
            transact(&*store, Access::Write, |tx| {
                tx.touch_token(&hash, now_ms)?;
                if let Some(old) = &retires {
                    tx.mark_replaced(old, now_ms)?;
                }
                Ok(())
            })
        })
        .await;
    }
    Ok((principal, hash))
}

/// The whole body, refused with 413 past [`MAX_BODY_BYTES`] (before reading it when its length is declared).
pub async fn body(headers: &HeaderMap, body: Body) -> Result<Vec<u8>, ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(too_large());
    }
    let mut body = body;
    let mut out = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame
            .map_err(|_| ApiError::new(axum::http::StatusCode::BAD_REQUEST, "the body could not be read"))?;
        if let Ok(data) = frame.into_data() {
            if out.len() + data.len() > MAX_BODY_BYTES {
                return Err(too_large());
            }
            out.extend_from_slice(&data);
        }
    }
    Ok(out)
}

fn too_large() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::PAYLOAD_TOO_LARGE,
        format!("the body is larger than {MAX_BODY_BYTES} bytes; send fewer visits per request"),
    )
}

/// Decodes a message: 409 when it speaks a version this server does not (whatever the shape of the rest of the
/// body: the version is read first), else 400 when it is not a valid message.
pub fn decode<T: for<'de> Deserialize<'de> + Message>(bytes: &[u8]) -> Result<T, ApiError> {
    Ok(wire::decode::<T>(bytes)?)
}

/// Runs blocking store work off the async workers.
pub async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|err| ApiError::internal(&format!("a blocking task failed: {err}")))
}
