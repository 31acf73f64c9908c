//! One log event per request, with structured fields: the method, the route as registered (`/admin/visit/{id}`, never
//! the path with its ids, card tokens or query), the status and the time taken. Nothing a user entered is logged.

use std::time::Instant;

use axum::{
    extract::{MatchedPath, Request},
    middleware::Next,
    response::Response,
};

/// Logs the request once its response is ready (a route layer: it runs for matched routes only).
pub async fn requests(route: Option<MatchedPath>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let started = Instant::now();
    let response = next.run(request).await;
    let route = route.as_ref().map_or("?", MatchedPath::as_str);
    let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    tracing::info!(%method, route, status = response.status().as_u16(), ms, "request");
    response
}
