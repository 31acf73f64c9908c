//! The head office's view of what doctors need (ADR 0026): `GET /admin/insights` for a window of days (`?from=&to=`,
//! this quarter by default), and `GET /admin/insights/export/{needs,stages,awaiting}.csv`. Every route needs a
//! head-office session or bearer token.
//!
//! Everything is counted in the store from the insight rows the verdicts worker keeps (one rep at a time, as its
//! visits arrive), never from the documents: information needs per week, product and topic; each doctor's latest
//! adoption stage; the moves up and down the ladder and the materials shown before a move up; the off-label
//! questions and safety information awaiting routing or forwarding.
//!
//! - [`render`]: the page (tables, and bars drawn as inline SVG from the same numbers).

mod render;

use std::collections::{BTreeMap, HashMap};

use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use chrono::{Datelike, Days, NaiveDate};
use chrono_tz::Tz;
use mrc_core::master::{InsightCatalog, MasterData};

use super::{bad_window, cache::ReportCache, csv::csv, drill, failed, load, window::Window, Gate};
use crate::{
    store::{
        insights::{Awaiting, FactKind, MoveMaterial, StageCount, StageMove},
        transact, Access,
    },
    web::{html::respond, lang::Lang, WebState},
    ServerError, ServerStore,
};

/// How many awaiting items the page lists (the export lists them all).
const AWAITING_SHOWN: u64 = 100;

/// The most awaiting items an export lists.
const AWAITING_EXPORTED: u64 = 100_000;

/// One need's visits per week of the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedRow {
    pub product_id: Option<String>,
    pub topic: String,
    /// Visits raising it in each of [`InsightReport::weeks`].
    pub per_week: Vec<u64>,
    pub total: u64,
}

/// What the insights page shows for one window.
#[derive(Debug, Clone)]
pub struct InsightReport {
    pub window: Window,
    /// The Monday of each week the window touches.
    pub weeks: Vec<NaiveDate>,
    /// Most raised first.
    pub needs: Vec<NeedRow>,
    pub stages: Vec<StageCount>,
    pub moves: Vec<StageMove>,
    pub move_materials: Vec<MoveMaterial>,
    /// How many await routing or forwarding, and the oldest of them.
    pub awaiting: (u64, Vec<Awaiting>),
    /// Safety information not forwarded past the company's deadline: how many, and the visits started before this
    /// instant (ms) that are late.
    pub overdue: (u64, i64),
    pub catalog: InsightCatalog,
    /// The zone days and times are told in.
    pub zone: Tz,
    /// Product and doctor names.
    pub products: HashMap<String, String>,
    pub doctors: HashMap<String, String>,
}

fn monday(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

impl InsightReport {
    /// Counts the window's insights in `store`; days are local to `zone`; safety information not forwarded from a
    /// visit started before `overdue_before_ms` is past its deadline.
    pub fn compute(
        store: &dyn ServerStore,
        window: Window,
        zone: Tz,
        awaiting_limit: u64,
        overdue_before_ms: i64,
    ) -> Result<InsightReport, ServerError> {
        let (from_ms, until_ms) = window.bounds_ms(zone);
        let (master, needs, stages, moves, move_materials, awaiting, overdue) =
            transact(store, Access::Read, |tx| {
                Ok((
                    drill::master(tx)?,
                    tx.need_counts(from_ms, until_ms)?,
                    tx.stage_counts(until_ms)?,
                    tx.stage_moves(from_ms, until_ms)?,
                    tx.move_materials(from_ms, until_ms)?,
                    tx.awaiting(awaiting_limit)?,
                    tx.safety_overdue(overdue_before_ms)?,
                ))
            })?;
        let mut weeks = Vec::new();
        let mut week = monday(window.from);
        while week <= window.to {
            weeks.push(week);
            week = week + Days::new(7);
        }
        let mut rows: BTreeMap<(Option<String>, String), NeedRow> = BTreeMap::new();
        for n in needs {
            let Ok(day) = n.day.parse::<NaiveDate>() else {
                continue;
            };
            let Some(slot) = weeks.iter().position(|w| *w == monday(day)) else {
                continue;
            };
            let row = rows
                .entry((n.product_id.clone(), n.topic.clone()))
                .or_insert_with(|| NeedRow {
                    product_id: n.product_id,
                    topic: n.topic,
                    per_week: vec![0; weeks.len()],
                    total: 0,
                });
            row.per_week[slot] += n.visits;
            row.total += n.visits;
        }
        let mut needs: Vec<NeedRow> = rows.into_values().collect();
        needs.sort_by(|a, b| {
            b.total
                .cmp(&a.total)
                .then_with(|| (&a.product_id, &a.topic).cmp(&(&b.product_id, &b.topic)))
        });
        Ok(InsightReport {
            window,
            weeks,
            needs,
            stages,
            moves,
            move_materials,
            doctors: doctor_names(&master, &awaiting.1),
            awaiting,
            overdue: (overdue, overdue_before_ms),
            catalog: InsightCatalog::of_master(&master),
            zone,
            products: master
                .products
                .iter()
                .map(|p| (p.id.clone(), p.name.clone()))
                .collect(),
        })
    }

    /// When a visit started, in the report's zone (`2026-11-20T10:00:00+09:00`; empty when unknown).
    pub fn local_time(&self, started_at_ms: Option<i64>) -> String {
        (started_at_ms.and_then(chrono::DateTime::from_timestamp_millis))
            .map(|at| {
                at.with_timezone(&self.zone)
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
            })
            .unwrap_or_default()
    }

    /// Whether an awaiting item is safety information past the forwarding deadline.
    pub fn is_overdue(&self, item: &Awaiting) -> bool {
        item.kind == FactKind::Safety && item.started_at_ms.is_some_and(|at| at < self.overdue.1)
    }

    /// A topic's name in `lang` (the code when the catalog has none).
    pub fn topic_name(&self, code: &str, lang: Lang) -> String {
        match self.catalog.topics.iter().find(|t| t.code == code) {
            Some(t) => lang.pick(&t.name_ja, &t.name_en).to_owned(),
            None => code.to_owned(),
        }
    }

    /// A stage's name in `lang`.
    pub fn stage_name(&self, code: &str, lang: Lang) -> String {
        match self.catalog.stage(code) {
            Some(s) => lang.pick(&s.name_ja, &s.name_en).to_owned(),
            None => code.to_owned(),
        }
    }

    /// A product's name (`—` for a general need).
    pub fn product_name(&self, id: Option<&str>) -> String {
        match id {
            Some(id) => self.products.get(id).cloned().unwrap_or_else(|| id.to_owned()),
            None => "—".into(),
        }
    }
}

/// The names of the doctors the awaiting items name (a company's master data holds many more).
fn doctor_names(master: &MasterData, awaiting: &[Awaiting]) -> HashMap<String, String> {
    let wanted: std::collections::HashSet<&str> =
        awaiting.iter().filter_map(|a| a.hcp_id.as_deref()).collect();
    (master.hcps.iter())
        .filter(|h| wanted.contains(h.id.as_str()))
        .map(|h| (h.id.clone(), h.name.clone()))
        .collect()
}

/// The insights reports, per window and how many awaiting items they list.
pub type InsightReports = ReportCache<(Window, u64), InsightReport>;

/// An empty cache of insights reports.
pub fn reports() -> InsightReports {
    ReportCache::new(|web, (window, limit)| {
        // A deadline past the calendar's start (`--safety-forward-hours` in the millions) makes nothing late.
        let deadline = chrono::Duration::from_std(web.safety_forward_within).ok();
        let cutoff = deadline.and_then(|d| web.clock.now().checked_sub_signed(d));
        let before = cutoff.map_or(i64::MIN, |at| at.timestamp_millis());
        InsightReport::compute(&*web.store, window, web.zone, limit, before)
    })
}

/// The insights report of the request's window, listing at most `limit` awaiting items.
async fn load_report(
    web: &WebState,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
    limit: u64,
) -> Gate<InsightReport> {
    load(
        web,
        headers,
        query,
        |web| &web.insights,
        move |window| (window, limit),
    )
    .await
}

/// `GET /admin/insights`.
pub async fn page(
    State(web): State<WebState>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::from_headers(&headers);
    match load_report(&web, &headers, &query, AWAITING_SHOWN).await {
        Gate::SignIn => Redirect::to("/admin/login").into_response(),
        Gate::BadWindow(reason) => bad_window(lang, reason),
        Gate::Failed(err) => failed(lang, &err),
        Gate::Report(report) => respond(StatusCode::OK, render::page(&report, lang)),
    }
}

/// `GET /admin/insights/export/{name}` (`needs.csv`: per week; `stages.csv`; `awaiting.csv`).
pub async fn export(
    State(web): State<WebState>,
    Path(name): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let report = match load_report(&web, &headers, &query, AWAITING_EXPORTED).await {
        Gate::SignIn => return StatusCode::UNAUTHORIZED.into_response(),
        Gate::BadWindow(reason) => return bad_window(lang, reason),
        Gate::Failed(err) => return failed(lang, &err),
        Gate::Report(report) => report,
    };
    let body = match name.as_str() {
        "needs.csv" => needs_csv(&report),
        "stages.csv" => stages_csv(&report),
        "awaiting.csv" => awaiting_csv(&report),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"insights-{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    crate::web::html::secure(headers, crate::web::html::PAGE_CSP);
    response
}

fn needs_csv(report: &InsightReport) -> String {
    let rows = report.needs.iter().flat_map(|n| {
        (report.weeks.iter().zip(&n.per_week))
            .filter(|(_, visits)| **visits > 0)
            .map(|(week, visits)| {
                vec![
                    week.to_string(),
                    n.product_id.clone().unwrap_or_default(),
                    report.product_name(n.product_id.as_deref()),
                    n.topic.clone(),
                    report.topic_name(&n.topic, Lang::Ja),
                    visits.to_string(),
                ]
            })
    });
    csv(
        &["week", "product", "product_name", "topic", "topic_name", "visits"],
        rows,
    )
}

fn stages_csv(report: &InsightReport) -> String {
    let rows = report.stages.iter().map(|s| {
        vec![
            s.product_id.clone(),
            report.product_name(Some(&s.product_id)),
            s.stage.clone(),
            report.stage_name(&s.stage, Lang::Ja),
            s.doctors.to_string(),
        ]
    });
    csv(
        &["product", "product_name", "stage", "stage_name", "doctors"],
        rows,
    )
}

fn awaiting_csv(report: &InsightReport) -> String {
    let rows = report.awaiting.1.iter().map(|a| {
        vec![
            mrc_core::VisitId::from_slice(&a.doc_id)
                .map(|id| id.to_string())
                .unwrap_or_default(),
            a.rep_id.clone(),
            a.hcp_id.clone().unwrap_or_default(),
            report.local_time(a.started_at_ms),
            a.kind.as_str().to_owned(),
            a.product_id.clone().unwrap_or_default(),
            a.text.clone(),
            report.is_overdue(a).to_string(),
        ]
    });
    csv(
        &[
            "visit",
            "rep",
            "hcp",
            "started_at",
            "kind",
            "product",
            "text",
            "overdue",
        ],
        rows,
    )
}
