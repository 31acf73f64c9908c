//! What the head-office view shows, computed from the server store: engagement per material version and per
//! week (app taps, browser taps, opens; verified or not) and the reliability of the visit records — every
//! stored visit replayed through the core audit (the same validator the devices run), judged as of its entry.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use mrc_core::{
    audit::{self, Summary, DEFAULT_THRESHOLD},
    master::MasterData,
    nfc::tap::Verification,
    validate::RuleSettings,
    visit::VisitStatus,
    VisitId,
};
use serde::Serialize;

use crate::{
    docs::load_stored,
    store::{transact, Access, JsonDoc, StoredEvent},
    verdicts::inputs::{audit_visits, taps_by_visit, APP_TAP},
    web::landing::{WEB_OPEN, WEB_TAP},
    ServerError, ServerStore,
};

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
    pub status: &'static str,
    pub needs_review: bool,
    /// Amendments made after submission.
    pub amendments: usize,
}

/// Everything the view shows.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub generated_at: DateTime<Utc>,
    pub threshold: u8,
    pub materials: Vec<MaterialRow>,
    pub weeks: Vec<WeekRow>,
    /// The same per material version, for the chart's material picker and the weekly CSV.
    pub material_weeks: Vec<MaterialWeekRow>,
    pub summary: Summary,
    pub visits: Vec<VisitRow>,
    pub rep_names: BTreeMap<String, String>,
    pub taps_total: u64,
    pub taps_verified: u64,
}

impl Report {
    /// Visits waiting for a reviewer.
    pub fn needs_review(&self) -> usize {
        self.visits.iter().filter(|v| v.needs_review).count()
    }

    /// Visits amended after submission.
    pub fn amended(&self) -> usize {
        self.visits.iter().filter(|v| v.amendments > 0).count()
    }
}

/// What changes when the report must be computed again: the documents' sequence numbers and the event count.
pub type Fingerprint = (u64, u64, u64);

/// The raw material of a report, read in one transaction.
pub struct Snapshot {
    pub fingerprint: Fingerprint,
    master: MasterData,
    rules: RuleSettings,
    docs: Vec<(VisitId, mrc_core::visit::DocState)>,
    events: Vec<StoredEvent>,
}

fn internal(what: &str, err: impl std::fmt::Display) -> ServerError {
    ServerError::Internal(format!("head-office report: {what}: {err}"))
}

/// Reads the fingerprint only (cheap: no document or event is loaded).
pub fn fingerprint(store: &dyn ServerStore) -> Result<Fingerprint, ServerError> {
    transact(store, Access::Read, |tx| {
        let reps = rep_ids(tx.json_doc(JsonDoc::Master)?.map(|m| m.json).as_deref())?;
        let feed = tx.feed(&reps, 0)?;
        let seq_sum = feed.iter().map(|r| r.seq).fold(0u64, u64::wrapping_add);
        Ok((seq_sum, feed.len() as u64, tx.count_all_events()?))
    })
}

fn rep_ids(master: Option<&str>) -> Result<Vec<String>, ServerError> {
    let Some(json) = master else {
        return Ok(Vec::new());
    };
    let master: MasterData = serde_json::from_str(json).map_err(|e| internal("stored master data", e))?;
    Ok(master.reps.into_iter().map(|r| r.id).collect())
}

/// Reads every visit of the master data's reps and every event.
pub fn snapshot(store: &dyn ServerStore) -> Result<Snapshot, ServerError> {
    transact(store, Access::Read, |tx| {
        let master: MasterData = match tx.json_doc(JsonDoc::Master)? {
            Some(m) => serde_json::from_str(&m.json).map_err(|e| internal("stored master data", e))?,
            None => MasterData::default(),
        };
        let rules = match tx.json_doc(JsonDoc::Rules)? {
            Some(r) => {
                RuleSettings::from_json(&r.json).map_err(|e| internal("stored rule settings", e.reason))?
            }
            None => RuleSettings::default(),
        };
        let reps: Vec<String> = master.reps.iter().map(|r| r.id.clone()).collect();
        let feed = tx.feed(&reps, 0)?;
        let seq_sum = feed.iter().map(|r| r.seq).fold(0u64, u64::wrapping_add);
        let mut docs = Vec::with_capacity(feed.len());
        for row in &feed {
            let Some(stored) = tx.read_doc(&row.id)? else {
                continue;
            };
            let doc = load_stored(&row.id, &stored.chunks)?;
            let state = doc.state().map_err(|e| internal("a stored visit", e))?;
            docs.push((state.id, state));
        }
        let events = tx.events_since(i64::MIN)?;
        Ok(Snapshot {
            fingerprint: (seq_sum, feed.len() as u64, events.len() as u64),
            master,
            rules,
            docs,
            events,
        })
    })
}

fn local_date(ms: i64, zone: Tz) -> Option<NaiveDate> {
    DateTime::from_timestamp_millis(ms).map(|t| mrc_core::local_time::local_day(&t, zone))
}

fn monday(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

/// Computes the report (the audit runs in a temporary folder).
pub fn compute(snapshot: &Snapshot, zone: Tz, now: DateTime<Utc>) -> Result<Report, ServerError> {
    let titles: BTreeMap<(&str, u32), &str> = snapshot
        .master
        .materials
        .iter()
        .map(|m| ((m.id.as_str(), m.version), m.title.as_str()))
        .collect();
    let mut materials: BTreeMap<(String, u32), MaterialRow> = BTreeMap::new();
    let mut weeks: BTreeMap<NaiveDate, WeekRow> = BTreeMap::new();
    let mut material_weeks: BTreeMap<(String, u32, NaiveDate), MaterialWeekRow> = BTreeMap::new();
    let (mut taps_total, mut taps_verified) = (0u64, 0u64);
    for StoredEvent { event, .. } in &snapshot.events {
        let kind = event.kind.as_str();
        if ![APP_TAP, WEB_TAP, WEB_OPEN].contains(&kind) {
            continue;
        }
        let verified = Verification::parse(&event.verification) == Verification::Verified;
        let week = local_date(event.occurred_at_ms, zone).map(monday);
        if let (Some(m), Some(v)) = (&event.material_id, event.material_version) {
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
                APP_TAP => row.app_taps += 1,
                WEB_TAP => row.web_taps += 1,
                _ => row.web_opens += 1,
            }
            if kind != WEB_OPEN {
                if verified {
                    row.verified += 1;
                } else {
                    row.unverified += 1;
                }
            }
        }
        if let (Some(m), Some(v), Some(week)) = (&event.material_id, event.material_version, week) {
            let w = material_weeks
                .entry((m.clone(), v, week))
                .or_insert_with(|| MaterialWeekRow {
                    material: m.clone(),
                    version: v,
                    week,
                    ..MaterialWeekRow::default()
                });
            match (kind, verified) {
                (WEB_OPEN, _) => w.opens += 1,
                (_, true) => w.verified += 1,
                (_, false) => w.unverified += 1,
            }
        }
        if let Some(week) = week {
            let w = weeks.entry(week).or_insert_with(|| WeekRow {
                week,
                ..WeekRow::default()
            });
            match (kind, verified) {
                (WEB_OPEN, _) => w.opens += 1,
                (_, true) => w.verified += 1,
                (_, false) => w.unverified += 1,
            }
        }
        if kind != WEB_OPEN {
            taps_total += 1;
            taps_verified += u64::from(verified);
        }
    }
    let inputs = audit_visits(&snapshot.docs, taps_by_visit(&snapshot.events));
    let dir = tempfile::tempdir().map_err(|e| internal("cannot create a temporary folder", e))?;
    let result = audit::audit(
        dir.path(),
        &snapshot.master,
        &snapshot.rules,
        &inputs,
        Vec::new(),
        DEFAULT_THRESHOLD,
    )
    .map_err(|e| internal("the audit failed", e))?;
    let rep_names: BTreeMap<String, String> = snapshot
        .master
        .reps
        .iter()
        .map(|r| (r.id.clone(), r.name.clone()))
        .collect();
    let visits = result
        .visits
        .iter()
        .zip(&snapshot.docs)
        .map(|(audited, (_, state))| {
            let rep_id = state.fields.rep_id.clone().unwrap_or_default();
            VisitRow {
                id: audited.id.clone(),
                rep_name: rep_names.get(&rep_id).cloned().unwrap_or_default(),
                rep_id,
                // The visit's day in the market's zone, not in the offset it was written with.
                date: state
                    .fields
                    .started_at
                    .map(|t| mrc_core::local_time::local_day(&t, zone)),
                score: audited.score,
                codes: audited.codes.iter().map(|c| c.as_str().to_owned()).collect(),
                status: match state.status {
                    VisitStatus::Draft => "draft",
                    VisitStatus::Submitted => "submitted",
                    VisitStatus::Amended => "amended",
                },
                needs_review: state.needs_review,
                amendments: state.amendments.len(),
            }
        })
        .collect();
    Ok(Report {
        generated_at: now,
        threshold: DEFAULT_THRESHOLD,
        materials: materials.into_values().collect(),
        weeks: weeks.into_values().collect(),
        material_weeks: material_weeks.into_values().collect(),
        summary: result.summary,
        visits,
        rep_names,
        taps_total,
        taps_verified,
    })
}
