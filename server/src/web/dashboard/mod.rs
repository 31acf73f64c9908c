//! The head-office view: `GET /admin` (the page), `GET /admin/report.json` (its data), and
//! `GET /admin/export/{engagement,engagement-weekly,visits}.csv`, each for a window of days (`?from=&to=`, this
//! quarter by default). Every route needs a head-office session or bearer token.
//!
//! - [`window`]: the days a request covers.
//! - [`cache`]: the last report of each window, shared by every page.
//! - [`report`]: what is shown, read from aggregates over the store and the kept verdicts.
//! - [`drill`]: the visits list (filters, pages) and a visit's detail page.
//! - [`parts`]: cells, tables and findings the pages share.
//! - [`render`]: the page (server-rendered tables; the charts are drawn from the same numbers).
//! - [`csv`]: the exports (the visits streamed page by page).
//! - [`insights`]: `GET /admin/insights`, what doctors need (ADR 0026), and its exports.

mod cache;
mod csv;
mod drill;
pub mod insights;
mod parts;
mod render;
pub mod report;
pub mod window;

use std::{collections::HashMap, sync::Arc};

use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

use super::{
    html::{self, respond},
    lang::Lang,
    login::signed_in,
    session::csrf_token,
    WebState,
};
use crate::ServerError;
use cache::ReportCache;
pub use cache::{FRESH_FOR, SERVED_AT_MOST};
pub use drill::{visit as visit_page, visits as visits_page};
use report::Report;
use window::Window;

/// What a head-office request gets: its report, or why not.
pub(super) enum Gate<R> {
    Report(Arc<R>),
    SignIn,
    BadWindow(&'static str),
    Failed(ServerError),
}

/// The window a request asks for.
fn window_of(web: &WebState, query: &HashMap<String, String>) -> Result<Window, &'static str> {
    let today = mrc_core::local_time::local_day(&web.clock.now(), web.zone);
    Window::from_query(
        query.get("from").map(String::as_str),
        query.get("to").map(String::as_str),
        today,
    )
}

/// The report of the request's window from `cache` (`key` adds what else the report depends on), once the request
/// is signed in and its window valid.
pub(super) async fn load<K, R>(
    web: &WebState,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
    cache: fn(&WebState) -> &Arc<ReportCache<K, R>>,
    key: impl FnOnce(Window) -> K + Send + 'static,
) -> Gate<R>
where
    K: Copy + Eq + std::hash::Hash + Send + Sync + 'static,
    R: Send + Sync + 'static,
{
    let (state, headers) = (web.clone(), headers.clone());
    let window = window_of(web, query);
    let loaded = tokio::task::spawn_blocking(move || {
        if !signed_in(&state, &headers) {
            return Gate::SignIn;
        }
        let window = match window {
            Ok(w) => w,
            Err(reason) => return Gate::BadWindow(reason),
        };
        match cache(&state).get(&state, key(window)) {
            Ok(report) => Gate::Report(report),
            Err(err) => Gate::Failed(err),
        }
    })
    .await;
    loaded.unwrap_or_else(|err| Gate::Failed(ServerError::Internal(err.to_string())))
}

/// The dashboard's report of the request's window.
async fn load_report(web: &WebState, headers: &HeaderMap, query: &HashMap<String, String>) -> Gate<Report> {
    load(web, headers, query, |web| &web.reports, |window| window).await
}

/// The dashboard's reports, per window.
pub type Reports = ReportCache<Window, Report>;

/// An empty cache of the dashboard's reports.
pub fn reports() -> Reports {
    ReportCache::new(|web, window| report::compute(&*web.store, window, web.zone, web.clock.now()))
}

fn failed(lang: Lang, err: &ServerError) -> Response {
    tracing::error!(error = %err, "head-office view failed");
    html::notice(
        StatusCode::INTERNAL_SERVER_ERROR,
        lang,
        "error",
        lang.pick("集計できませんでした", "The report could not be computed"),
        lang.pick("サーバーのログを確認してください。", "See the server log."),
    )
}

fn bad_window(lang: Lang, reason: &str) -> Response {
    html::notice(
        StatusCode::BAD_REQUEST,
        lang,
        "error",
        lang.pick("期間が正しくありません", "The period is not valid"),
        reason,
    )
}

/// `GET /admin`.
pub async fn page(
    State(web): State<WebState>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::from_headers(&headers);
    match load_report(&web, &headers, &query).await {
        Gate::SignIn => Redirect::to("/admin/login").into_response(),
        Gate::BadWindow(reason) => bad_window(lang, reason),
        Gate::Failed(err) => failed(lang, &err),
        Gate::Report(report) => {
            let (csrf, set) = csrf_token(&headers);
            let mut response = respond(StatusCode::OK, render::page(&report, lang, &csrf));
            if let Some(set) = set {
                response.headers_mut().append(header::SET_COOKIE, set);
            }
            response
        }
    }
}

/// `GET /admin/report.json`.
pub async fn data(
    State(web): State<WebState>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::from_headers(&headers);
    match load_report(&web, &headers, &query).await {
        Gate::SignIn => StatusCode::UNAUTHORIZED.into_response(),
        Gate::BadWindow(reason) => bad_window(lang, reason),
        Gate::Failed(err) => failed(lang, &err),
        Gate::Report(report) => {
            let mut response = axum::Json(report.as_ref()).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
    }
}

/// `GET /admin/export/{name}` (`engagement.csv`, `engagement-weekly.csv`, `visits.csv`).
pub async fn export(
    State(web): State<WebState>,
    Path(name): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let report = match load_report(&web, &headers, &query).await {
        Gate::SignIn => return StatusCode::UNAUTHORIZED.into_response(),
        Gate::BadWindow(reason) => return bad_window(lang, reason),
        Gate::Failed(err) => return failed(lang, &err),
        Gate::Report(report) => report,
    };
    let mut response = match name.as_str() {
        "engagement.csv" => csv::engagement(&report).into_response(),
        "engagement-weekly.csv" => csv::engagement_weekly(&report).into_response(),
        "visits.csv" => csv::visits(web.clone(), report.window).into_response(),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    html::secure(headers, html::PAGE_CSP);
    response
}
