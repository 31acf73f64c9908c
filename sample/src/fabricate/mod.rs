//! A labeled month for measuring the audit: a team of reps with realistic genuine behaviour — including the
//! habits that look like fabrication (memo-app paste sessions in the evening, follow-up notes that start from
//! the previous note, key doctors seen weekly, two clinics in one building visited minutes apart, taps that fail
//! or are declined, reps who round every duration) — and fabricated visits of each known kind, obvious and
//! subtle, each with its label. Deterministic: the same config gives the same month.

mod content;
mod domain;
mod edit;
mod entry;
mod fake;
mod fake_day;
mod fake_visit;
mod plan;
mod schedule;

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate, Offset, TimeZone, Utc};

pub use domain::Domain;

use super::rng::Rng;
use mrc_audit::{evaluate::Label, export, input::Tap, AuditVisit};
use mrc_core::{
    ids::VisitId,
    master::MasterData,
    visit::{Channel, VisitFields},
};

/// The fabrication patterns, as labelled.
pub const PATTERNS: [&str; 8] = [
    "copied_notes",
    "entry_burst",
    "late_entry",
    "travel_infeasible",
    "round_durations",
    "off_hours",
    "no_tap",
    "hcp_frequency",
];

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FabricateConfig {
    pub reps: u32,
    pub hcps: u32,
    pub institutions: u32,
    /// Calendar days, ending at `end`.
    pub days: u32,
    /// Share of all visits that are fabricated (0–0.9).
    pub rate: f64,
    pub seed: u64,
    pub end: NaiveDate,
    /// Which world parameters: the generator's own, or drawn per month (domain randomization).
    #[serde(default)]
    pub domain: Domain,
}

impl Default for FabricateConfig {
    /// Three reps, a month (about 400 visits), 15 % fabricated.
    fn default() -> FabricateConfig {
        FabricateConfig {
            reps: 3,
            hcps: 300,
            institutions: 40,
            days: 30,
            rate: 0.15,
            seed: 1,
            end: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or(NaiveDate::MIN),
            domain: Domain::Fixed,
        }
    }
}

/// One generated visit with its truth.
#[derive(Debug, Clone, PartialEq)]
pub struct LabeledVisit {
    pub visit: AuditVisit,
    pub label: Label,
}

/// A generated month: master data and visits, ordered by day, rep and time.
#[derive(Debug, Clone, PartialEq)]
pub struct LabeledMonth {
    pub master: MasterData,
    pub visits: Vec<LabeledVisit>,
}

impl LabeledMonth {
    /// The visits as audit input: JSON Lines, one visit a line.
    pub fn lines(&self) -> String {
        let mut out = String::new();
        for v in &self.visits {
            out.push_str(&export::to_line(&v.visit));
            out.push('\n');
        }
        out
    }

    /// The labels, keyed by visit id.
    pub fn labels(&self) -> BTreeMap<String, Label> {
        (self.visits.iter())
            .map(|v| (v.visit.id_text.clone(), v.label.clone()))
            .collect()
    }
}

/// A visit while the month is being made.
#[derive(Debug, Clone)]
pub(super) struct Draft {
    pub(super) rep: usize,
    /// Index into `master.hcps`.
    pub(super) hcp: usize,
    pub(super) channel: Channel,
    pub(super) date: NaiveDate,
    /// Local start, minutes after midnight.
    pub(super) start: u32,
    pub(super) minutes: u32,
    pub(super) fields: VisitFields,
    /// Local tap times, minutes after midnight.
    pub(super) taps: Vec<u32>,
    pub(super) entered: Option<DateTime<Utc>>,
    pub(super) label: Label,
}

/// Japan Standard Time.
pub(super) fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).unwrap_or(Utc.fix())
}

/// A local time on `date`, `minute` minutes after midnight (may run past midnight).
pub(super) fn at(date: NaiveDate, minute: i64) -> DateTime<FixedOffset> {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    let local = midnight + chrono::Duration::minutes(minute);
    jst().from_local_datetime(&local).single().unwrap_or_default()
}

/// Generates a labeled month.
pub fn generate_labeled(config: &FabricateConfig) -> LabeledMonth {
    let mut rng = Rng::new(config.seed ^ 0x4d52_435f_4641_4b45);
    let params = domain::Params::draw(config.domain, config.seed);
    let world = plan::world(&mut rng, config, params);
    let mut drafts = schedule::genuine_month(&mut rng, &world);
    fake::fabricate(&mut rng, &world, &mut drafts, config.rate.clamp(0.0, 0.9));
    drafts.sort_by_key(|d| (d.date, d.rep, d.start, d.hcp));
    let visits = drafts
        .into_iter()
        .enumerate()
        .map(|(i, d)| finish(&mut rng, &world, d, i + 1))
        .collect();
    LabeledMonth {
        master: world.master,
        visits,
    }
}

fn finish(rng: &mut Rng, world: &plan::World, d: Draft, line: usize) -> LabeledVisit {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&rng.next_u64().to_le_bytes());
    bytes[8..].copy_from_slice(&rng.next_u64().to_le_bytes());
    let id = VisitId::from_slice(uuid::Builder::from_random_bytes(bytes).as_uuid().as_bytes())
        .unwrap_or_else(|_| VisitId::new_v7());
    let taps = (d.taps.iter())
        .map(|m| Tap {
            at: at(d.date, i64::from(*m)).to_utc(),
            material: None,
        })
        .collect();
    let mut label = d.label;
    label.rep_id = world.master.reps.get(d.rep).map(|r| r.id.clone());
    LabeledVisit {
        visit: AuditVisit {
            line,
            id_text: id.to_string(),
            id,
            fields: d.fields,
            entered_at: d.entered,
            taps,
        },
        label,
    }
}

#[cfg(test)]
mod tests;
