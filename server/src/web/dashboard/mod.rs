//! The head-office view: `GET /admin` (the page), `GET /admin/report.json` (its data), and
//! `GET /admin/export/{engagement,engagement-weekly,visits}.csv`, each for a window of days (`?from=&to=`, this
//! quarter by default). Every route needs a head-office session or bearer token.
//!
//! - [`window`]: the days a request covers.
//! - [`report`]: what is shown, read from aggregates over the store and the kept verdicts.
//! - [`drill`]: the visits list (filters, pages) and a visit's detail page.
//! - [`parts`]: cells, tables and findings the pages share.
//! - [`render`]: the page (server-rendered tables; the charts are drawn from the same numbers).
//! - [`csv`]: the exports (the visits streamed page by page).
//! - [`insights`]: `GET /admin/insights`, what doctors need (ADR 0026), and its exports.

mod csv;
mod drill;
pub mod insights;
mod parts;
mod render;
pub mod report;
pub mod window;

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

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
pub use drill::{visit as visit_page, visits as visits_page};
use report::Report;
use window::Window;

/// How long a computed report is shown as it is; after that, a request still gets it at once while a fresh one is
/// computed in the background (ADR 0022: with the verdicts worker's delay, the bound on how stale the page is).
pub const FRESH_FOR: Duration = Duration::from_secs(5);

/// The oldest report ever served: an older one (nobody looked for a while) is computed again before answering.
pub const SERVED_AT_MOST: Duration = Duration::from_secs(30);

/// The most windows kept (each a few tens of KB).
const KEPT_WINDOWS: usize = 16;

/// The last report of each window. Users asking at once for a window share one computation; a stale report is
/// served while the next one is computed, so only the first request for a window waits for the store.
#[derive(Default)]
pub struct ReportCache {
    reports: Mutex<HashMap<Window, (Instant, Arc<Report>)>>,
    refreshing: Mutex<HashSet<Window>>,
    computing: Mutex<()>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl ReportCache {
    /// The cached report of `window` and what to do with it.
    fn cached(&self, window: &Window) -> Option<(Serve, Arc<Report>)> {
        (lock(&self.reports).get(window)).map(|(at, report)| (Serve::at_age(at.elapsed()), report.clone()))
    }

    /// The report of `window`: the cached one (computed again in the background once older than [`FRESH_FOR`]),
    /// else, or when older than [`SERVED_AT_MOST`], computed now.
    pub fn get(&self, web: &WebState, window: Window) -> Result<Arc<Report>, ServerError> {
        match self.cached(&window) {
            Some((Serve::AsIs, report)) => Ok(report),
            Some((Serve::WhileRefreshing, report)) => {
                if lock(&self.refreshing).insert(window) {
                    let web = web.clone();
                    std::thread::spawn(move || {
                        // The same lock as a request computing now: one computation at a time, never twice.
                        let _computing = lock(&web.reports.computing);
                        if let Err(err) = web.reports.compute(&web, window) {
                            eprintln!("mrc-server: head-office report not refreshed: {err}");
                        }
                        lock(&web.reports.refreshing).remove(&window);
                    });
                }
                Ok(report)
            }
            Some((Serve::NotAnyMore, _)) | None => {
                let _computing = lock(&self.computing);
                match self.cached(&window) {
                    Some((Serve::AsIs | Serve::WhileRefreshing, report)) => Ok(report),
                    _ => self.compute(web, window),
                }
            }
        }
    }

    fn compute(&self, web: &WebState, window: Window) -> Result<Arc<Report>, ServerError> {
        let computed = Arc::new(report::compute(&*web.store, window, web.zone, web.clock.now())?);
        let mut reports = lock(&self.reports);
        if reports.len() >= KEPT_WINDOWS {
            reports.retain(|_, (at, _)| at.elapsed() < FRESH_FOR);
        }
        reports.insert(window, (Instant::now(), computed.clone()));
        Ok(computed)
    }
}

/// What a cached report of some age is good for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Serve {
    /// Younger than [`FRESH_FOR`].
    AsIs,
    /// Served while the next one is computed in the background.
    WhileRefreshing,
    /// Older than [`SERVED_AT_MOST`]: computed again before answering.
    NotAnyMore,
}

impl Serve {
    fn at_age(age: Duration) -> Serve {
        if age < FRESH_FOR {
            Serve::AsIs
        } else if age < SERVED_AT_MOST {
            Serve::WhileRefreshing
        } else {
            Serve::NotAnyMore
        }
    }
}

enum Gate {
    Report(Arc<Report>),
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

async fn load(web: &WebState, headers: &HeaderMap, query: &HashMap<String, String>) -> Gate {
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
        match state.reports.get(&state, window) {
            Ok(report) => Gate::Report(report),
            Err(err) => Gate::Failed(err),
        }
    })
    .await;
    loaded.unwrap_or_else(|err| Gate::Failed(ServerError::Internal(err.to_string())))
}

fn failed(lang: Lang, err: &ServerError) -> Response {
    eprintln!("mrc-server: head-office view failed: {err}");
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
    match load(&web, &headers, &query).await {
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
    match load(&web, &headers, &query).await {
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
    let report = match load(&web, &headers, &query).await {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_served_as_is_then_while_refreshing_then_never() {
        assert_eq!(Serve::at_age(Duration::ZERO), Serve::AsIs);
        assert_eq!(Serve::at_age(FRESH_FOR - Duration::from_millis(1)), Serve::AsIs);
        assert_eq!(Serve::at_age(FRESH_FOR), Serve::WhileRefreshing);
        assert_eq!(
            Serve::at_age(SERVED_AT_MOST - Duration::from_millis(1)),
            Serve::WhileRefreshing
        );
        assert_eq!(Serve::at_age(SERVED_AT_MOST), Serve::NotAnyMore);
        assert_eq!(Serve::at_age(Duration::from_secs(3600)), Serve::NotAnyMore);
    }
}
