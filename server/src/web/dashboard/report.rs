//! What the head-office view shows for a window of days, read from aggregates over the store: engagement per
//! material version and per week (app taps, browser taps, opens; verified or not), counted in SQL per quarter of
//! an hour and folded into the market's weeks here; and the reliability of the visit records, from the verdicts
//! the store keeps (`crate::verdicts`), counted per rep and score. Nothing here scans every document.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use mrc_audit::{ScoreTally, Summary, DEFAULT_THRESHOLD};
use mrc_core::{
    master::{Material, Rep},
    validate::Reason,
    VisitId,
};
use serde::Serialize;

use super::window::Window;
use crate::{
    store::{transact, Access, EngagementCount, JsonDoc, Tx, VisitVerdict, QUARTER_HOUR_MS},
    web::landing::{WEB_OPEN, WEB_TAP},
    ServerError, ServerStore,
};

/// How many of the visits to look at the page lists.
pub const LOOK_AT_PAGE: u64 = 200;

/// The event kind devices record for a tap.
const APP_TAP: &str = crate::verdicts::inputs::APP_TAP;

/// Engagement with one material version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MaterialRow {
    pub material: String,
    pub version: u32,
    pub title: String,
    /// Taps recorded by the company's app, and by the landing page.
    pub app_taps: u64,
    pub web_taps: u64,
    /// Of all taps: verified here (signature or SUN MAC) or not (pending, forged, replayed, unknown).
    pub verified: u64,
    pub unverified: u64,
    /// Material pages shown by the landing page after the HCP question.
    pub web_opens: u64,
}

impl MaterialRow {
    /// The row as the table and the CSV show it: material, version, title, app taps, browser taps, verified,
    /// unverified, opens.
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.material.clone(),
            self.version.to_string(),
            self.title.clone(),
            self.app_taps.to_string(),
            self.web_taps.to_string(),
            self.verified.to_string(),
            self.unverified.to_string(),
            self.web_opens.to_string(),
        ]
    }
}

/// Taps in one week (Monday first, in the market's time zone).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WeekRow {
    pub week: NaiveDate,
    pub verified: u64,
    pub unverified: u64,
    pub opens: u64,
}

/// Taps and opens of one material version in one week.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MaterialWeekRow {
    pub material: String,
    pub version: u32,
    pub week: NaiveDate,
    pub verified: u64,
    pub unverified: u64,
    pub opens: u64,
}

/// One stored visit and its audit verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VisitRow {
    pub id: String,
    pub rep_id: String,
    pub rep_name: String,
    /// The visit's local date, if it has a start time.
    pub date: Option<NaiveDate>,
    pub score: u8,
    pub codes: Vec<String>,
    /// What moved the score, with its points.
    pub reasons: Vec<Reason>,
    pub status: String,
    pub needs_review: bool,
    /// Amendments made after submission.
    pub amendments: u32,
}

impl VisitRow {
    /// A stored verdict as listed, its day in the market's `zone`.
    pub fn new(v: VisitVerdict, rep_names: &BTreeMap<String, String>, zone: Tz) -> VisitRow {
        VisitRow {
            id: VisitId::from_slice(&v.doc_id).map_or_else(|_| String::new(), |id| id.to_string()),
            rep_name: rep_names.get(&v.rep_id).cloned().unwrap_or_default(),
            rep_id: v.rep_id,
            date: (v.started_at_ms)
                .and_then(DateTime::from_timestamp_millis)
                .map(|t| mrc_core::local_time::local_day(&t, zone)),
            score: v.score,
            // Stored by this server from the same type: a row that does not read lists no reasons.
            reasons: serde_json::from_str(&v.reasons).unwrap_or_default(),
            codes: v.codes,
            status: v.status,
            needs_review: v.needs_review,
            amendments: v.amendments,
        }
    }
}

/// Everything the view shows for one window.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub generated_at: DateTime<Utc>,
    /// How long computing it took, ms.
    pub compute_ms: u64,
    pub window: Window,
    pub threshold: u8,
    pub materials: Vec<MaterialRow>,
    pub weeks: Vec<WeekRow>,
    /// The same per material version, for the chart's material picker and the weekly CSV.
    pub material_weeks: Vec<MaterialWeekRow>,
    pub summary: Summary,
    /// The visits to look at (below the threshold, waiting for review, or amended), lowest score first: the
    /// first [`LOOK_AT_PAGE`] of `to_look_at_total`.
    pub to_look_at: Vec<VisitRow>,
    pub to_look_at_total: u64,
    pub needs_review: u64,
    pub amended: u64,
    pub rep_names: BTreeMap<String, String>,
    pub taps_total: u64,
    pub taps_verified: u64,
    /// Reps whose changes the verdicts do not show yet, and since when the oldest waits.
    pub pending_reps: u64,
    pub pending_since: Option<DateTime<Utc>>,
}

/// The part of the master data the overview names things with: reps and materials. Read without building the
/// doctors and institutions, which are most of a company's master data.
#[derive(Debug, Default, serde::Deserialize)]
pub struct MasterNames {
    #[serde(default)]
    pub reps: Vec<Rep>,
    #[serde(default)]
    pub materials: Vec<Material>,
}

impl MasterNames {
    /// The stored master data's names (none without master data).
    pub fn read(tx: &mut dyn Tx) -> Result<MasterNames, ServerError> {
        match tx.json_doc(JsonDoc::Master)? {
            Some(m) => serde_json::from_str(&m.json).map_err(|e| internal("stored master data", e)),
            None => Ok(MasterNames::default()),
        }
    }

    /// Rep id → name.
    pub fn rep_names(&self) -> BTreeMap<String, String> {
        (self.reps.iter())
            .map(|r| (r.id.clone(), r.name.clone()))
            .collect()
    }
}

fn internal(what: &str, err: impl std::fmt::Display) -> ServerError {
    ServerError::Internal(format!("head-office report: {what}: {err}"))
}

fn monday(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

/// Computes the report of `window` (days in the market's `zone`) from the store's aggregates, in one read
/// transaction.
pub fn compute(
    store: &dyn ServerStore,
    window: Window,
    zone: Tz,
    now: DateTime<Utc>,
) -> Result<Report, ServerError> {
    let (from_ms, until_ms) = window.bounds_ms(zone);
    let started = std::time::Instant::now();
    let mut report = transact(store, Access::Read, |tx| {
        let master = MasterNames::read(tx)?;
        let rep_names = master.rep_names();
        let engagement = engagement(&master, &tx.engagement_counts(from_ms, until_ms)?, zone);
        let (summary, needs_review, amended) = reliability(tx, from_ms, until_ms)?;
        let (to_look_at_total, page) =
            tx.to_look_at(from_ms, until_ms, DEFAULT_THRESHOLD, 0, LOOK_AT_PAGE)?;
        let (pending_reps, oldest) = tx.queue_state()?;
        Ok(Report {
            generated_at: now,
            compute_ms: 0,
            window,
            threshold: DEFAULT_THRESHOLD,
            materials: engagement.materials,
            weeks: engagement.weeks,
            material_weeks: engagement.material_weeks,
            summary,
            to_look_at: page
                .into_iter()
                .map(|v| VisitRow::new(v, &rep_names, zone))
                .collect(),
            to_look_at_total,
            needs_review,
            amended,
            rep_names,
            taps_total: engagement.taps_total,
            taps_verified: engagement.taps_verified,
            pending_reps,
            pending_since: oldest.and_then(DateTime::from_timestamp_millis),
        })
    })?;
    report.compute_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    Ok(report)
}

/// The reliability summary per rep and for the team, and how many visits wait for review or were amended.
fn reliability(tx: &mut dyn Tx, from_ms: i64, until_ms: i64) -> Result<(Summary, u64, u64), ServerError> {
    let mut reps: BTreeMap<String, ScoreTally> = BTreeMap::new();
    let (mut needs_review, mut amended) = (0, 0);
    for row in tx.score_counts(from_ms, until_ms)? {
        let n = usize::try_from(row.visits).unwrap_or(usize::MAX);
        reps.entry(row.rep_id).or_default().add_score(row.score, n);
        needs_review += row.needs_review;
        amended += row.amended;
    }
    for row in tx.code_counts(from_ms, until_ms)? {
        let n = usize::try_from(row.visits).unwrap_or(usize::MAX);
        reps.entry(row.rep_id).or_default().add_code(&row.code, n);
    }
    let mut team = ScoreTally::default();
    for tally in reps.values() {
        team.merge(tally);
    }
    let summary = Summary {
        threshold: DEFAULT_THRESHOLD,
        team: team.group(None, DEFAULT_THRESHOLD),
        reps: (reps.into_iter())
            .map(|(rep, tally)| tally.group(Some(rep), DEFAULT_THRESHOLD))
            .collect(),
    };
    Ok((summary, needs_review, amended))
}

/// Engagement folded from quarter-hour counts into material versions and the market's weeks.
struct Engagement {
    materials: Vec<MaterialRow>,
    weeks: Vec<WeekRow>,
    material_weeks: Vec<MaterialWeekRow>,
    taps_total: u64,
    taps_verified: u64,
}

fn engagement(master: &MasterNames, counts: &[EngagementCount], zone: Tz) -> Engagement {
    let titles: BTreeMap<(&str, u32), &str> = (master.materials.iter())
        .map(|m| ((m.id.as_str(), m.version), m.title.as_str()))
        .collect();
    let mut materials: BTreeMap<(String, u32), MaterialRow> = BTreeMap::new();
    let mut weeks: BTreeMap<NaiveDate, WeekRow> = BTreeMap::new();
    let mut material_weeks: BTreeMap<(String, u32, NaiveDate), MaterialWeekRow> = BTreeMap::new();
    let (mut taps_total, mut taps_verified) = (0u64, 0u64);
    for c in counts {
        let (kind, n, verified) = (c.kind.as_str(), c.events, c.verified);
        let week = DateTime::from_timestamp_millis(c.quarter_hour * QUARTER_HOUR_MS)
            .map(|t| monday(mrc_core::local_time::local_day(&t, zone)));
        if let (Some(m), Some(v)) = (&c.material_id, c.material_version) {
            let row = materials.entry((m.clone(), v)).or_insert_with(|| MaterialRow {
                material: m.clone(),
                version: v,
                title: titles
                    .get(&(m.as_str(), v))
                    .map(|t| (*t).to_owned())
                    .unwrap_or_default(),
                ..MaterialRow::default()
            });
            match kind {
                APP_TAP => row.app_taps += n,
                WEB_TAP => row.web_taps += n,
                _ => row.web_opens += n,
            }
            match (kind, verified) {
                (WEB_OPEN, _) => {}
                (_, true) => row.verified += n,
                (_, false) => row.unverified += n,
            }
            if let Some(week) = week {
                let w = material_weeks
                    .entry((m.clone(), v, week))
                    .or_insert_with(|| MaterialWeekRow {
                        material: m.clone(),
                        version: v,
                        week,
                        ..MaterialWeekRow::default()
                    });
                match (kind, verified) {
                    (WEB_OPEN, _) => w.opens += n,
                    (_, true) => w.verified += n,
                    (_, false) => w.unverified += n,
                }
            }
        }
        if let Some(week) = week {
            let w = weeks.entry(week).or_insert_with(|| WeekRow {
                week,
                ..WeekRow::default()
            });
            match (kind, verified) {
                (WEB_OPEN, _) => w.opens += n,
                (_, true) => w.verified += n,
                (_, false) => w.unverified += n,
            }
        }
        if kind != WEB_OPEN {
            taps_total += n;
            taps_verified += if verified { n } else { 0 };
        }
    }
    Engagement {
        materials: materials.into_values().collect(),
        weeks: weeks.into_values().collect(),
        material_weeks: material_weeks.into_values().collect(),
        taps_total,
        taps_verified,
    }
}
