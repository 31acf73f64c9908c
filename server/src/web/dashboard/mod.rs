//! The head-office view: `GET /admin` (the page), `GET /admin/report.json` (its data), and
//! `GET /admin/export/{engagement,engagement-weekly,visits}.csv`. Every route needs a head-office session or bearer token.
//!
//! - [`report`]: what is shown, computed from the server store and the core audit.
//! - [`render`]: the page (server-rendered tables; the charts are drawn from the same numbers).
//! - [`csv`]: the exports.

mod csv;
mod render;
pub mod report;

use std::sync::{Arc, Mutex};

use axum::{
    extract::{Path, State},
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
use report::{Fingerprint, Report};

/// The last report and what it was computed from: recomputed only when a visit or an event arrived.
#[derive(Default)]
pub struct ReportCache {
    last: Mutex<Option<(Fingerprint, Arc<Report>)>>,
}

impl ReportCache {
    /// The current report, computed again if the store changed since the last one.
    pub fn get(&self, web: &WebState) -> Result<Arc<Report>, ServerError> {
        let now = report::fingerprint(&*web.store)?;
        {
            let last = self
                .last
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some((print, report)) = last.as_ref() {
                if *print == now {
                    return Ok(report.clone());
                }
            }
        }
        let snapshot = report::snapshot(&*web.store)?;
        let computed = Arc::new(report::compute(&snapshot, web.zone, web.clock.now())?);
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *last = Some((snapshot.fingerprint, computed.clone()));
        Ok(computed)
    }
}

enum Gate {
    Report(Arc<Report>),
    SignIn,
    Failed(ServerError),
}

async fn load(web: &WebState, headers: &HeaderMap) -> Gate {
    let (state, headers) = (web.clone(), headers.clone());
    let loaded = tokio::task::spawn_blocking(move || {
        if !signed_in(&state, &headers) {
            return Gate::SignIn;
        }
        match state.reports.get(&state) {
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

/// `GET /admin`.
pub async fn page(State(web): State<WebState>, headers: HeaderMap) -> Response {
    let lang = Lang::from_headers(&headers);
    match load(&web, &headers).await {
        Gate::SignIn => Redirect::to("/admin/login").into_response(),
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
pub async fn data(State(web): State<WebState>, headers: HeaderMap) -> Response {
    let lang = Lang::from_headers(&headers);
    match load(&web, &headers).await {
        Gate::SignIn => StatusCode::UNAUTHORIZED.into_response(),
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
pub async fn export(State(web): State<WebState>, Path(name): Path<String>, headers: HeaderMap) -> Response {
    let lang = Lang::from_headers(&headers);
    let report = match load(&web, &headers).await {
        Gate::SignIn => return StatusCode::UNAUTHORIZED.into_response(),
        Gate::Failed(err) => return failed(lang, &err),
        Gate::Report(report) => report,
    };
    let body = match name.as_str() {
        "engagement.csv" => csv::engagement(&report),
        "engagement-weekly.csv" => csv::engagement_weekly(&report),
        "visits.csv" => csv::visits(&report),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let mut response = body.into_response();
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
