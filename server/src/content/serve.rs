//! The ranged answer for one content file: 200 / 206 / 416 / 404 with `ETag`, `Accept-Ranges` and an immutable
//! `Cache-Control` (a file's address is its hash, so it never changes). Used by `GET /v1/content/{sha256}` and
//! meant for a browser landing page too.

use std::sync::Arc;

use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

use super::{
    range::{parse_range, RangeRequest},
    ContentHash,
};
use crate::{
    store::{transact, Access},
    ServerStore,
};

/// `Cache-Control` of every content answer: private (behind a token), cacheable for a year, never revalidated.
pub const CACHE_CONTROL: &str = "private, max-age=31536000, immutable";

/// Answers a `GET` of the file whose SHA-256 is `sha256` (hex), honouring `range` (the `Range` header's value).
/// Authentication is the caller's job.
pub async fn serve_range(store: Arc<dyn ServerStore>, sha256: &str, range: Option<&str>) -> Response {
    let Some(hash) = ContentHash::parse(sha256) else {
        return not_found();
    };
    let range = range.map(str::to_owned);
    let read = tokio::task::spawn_blocking(move || {
        transact(&*store, Access::Read, |tx| {
            let Some(size) = tx.content_size(&hash)? else {
                return Ok(None);
            };
            let wanted = parse_range(range.as_deref(), size);
            let bytes = match wanted {
                RangeRequest::Whole => tx.content_range(&hash, 0, size)?,
                RangeRequest::Part { start, end } => tx.content_range(&hash, start, end - start + 1)?,
                RangeRequest::Unsatisfiable => Some(Vec::new()),
            };
            Ok(bytes.map(|bytes| (size, wanted, bytes)))
        })
    })
    .await;
    let (size, wanted, bytes) = match read {
        Ok(Ok(Some(found))) => found,
        Ok(Ok(None)) => return not_found(),
        Ok(Err(err)) => return internal(&err),
        Err(err) => return internal(&err),
    };
    let (status, content_range) = match wanted {
        RangeRequest::Whole => (StatusCode::OK, None),
        RangeRequest::Part { start, end } => (
            StatusCode::PARTIAL_CONTENT,
            Some(format!("bytes {start}-{end}/{size}")),
        ),
        RangeRequest::Unsatisfiable => (StatusCode::RANGE_NOT_SATISFIABLE, Some(format!("bytes */{size}"))),
    };
    let mut response = (status, bytes).into_response();
    let headers = response.headers_mut();
    let etag = format!("\"{hash}\"");
    for (name, value) in [
        (header::ETAG, Some(etag)),
        (header::CONTENT_RANGE, content_range),
        (header::ACCEPT_RANGES, Some("bytes".to_owned())),
        (header::CACHE_CONTROL, Some(CACHE_CONTROL.to_owned())),
        (header::CONTENT_TYPE, Some("application/octet-stream".to_owned())),
    ] {
        if let Some(value) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
            headers.insert(name, value);
        }
    }
    response
}

fn not_found() -> Response {
    text(StatusCode::NOT_FOUND, "no content with this SHA-256 is stored")
}

fn internal(detail: &dyn std::fmt::Display) -> Response {
    tracing::error!(error = %detail, "internal error while serving content");
    text(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal server error; the server log has the details",
    )
}

fn text(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        format!("{message}\n"),
    )
        .into_response()
}
