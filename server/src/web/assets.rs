//! The web's static files, compiled into the binary: the stylesheet, the dashboard script and the vendored
//! Chart.js (MIT, `assets/vendor/`). No page loads anything from another origin.

use axum::{
    extract::Path,
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

use super::html::{secure, PAGE_CSP};

/// Every file: its path under `/assets/`, its type and its bytes.
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "site.css",
        "text/css; charset=utf-8",
        include_bytes!("assets/site.css"),
    ),
    (
        "dashboard.js",
        "text/javascript; charset=utf-8",
        include_bytes!("assets/dashboard.js"),
    ),
    (
        "vendor/chart-4.6.1.umd.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("assets/vendor/chart-4.6.1.umd.min.js"),
    ),
];

/// The bytes of an asset, for tests and size measurements.
pub fn asset(path: &str) -> Option<&'static [u8]> {
    FILES
        .iter()
        .find(|(p, _, _)| *p == path)
        .map(|(_, _, bytes)| *bytes)
}

/// `GET /assets/{*path}`: cached for a day (the file names of vendored code carry their version).
pub async fn serve(Path(path): Path<String>) -> Response {
    let Some((_, mime, bytes)) = FILES.iter().find(|(p, _, _)| *p == path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    secure(headers, PAGE_CSP);
    response
}
