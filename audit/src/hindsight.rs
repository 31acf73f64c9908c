//! What only hindsight shows. After the replay every visit of the month is in the store; each visit is judged
//! again by the same validator, as of its entry time but now seeing the visits entered after it, and for the
//! codes that do not depend on who came first the month's verdict replaces the entry-time one:
//!
//! - `entry_burst`: a burst is judged once its last member is known, so its first members count too;
//! - `duration_run`, `round_duration_pattern`: the whole day, and the rep's habit on the other days;
//! - `hcp_frequency`: the visits to the HCP in the weeks after this one as well as before;
//! - `too_many_visits`: the whole day;
//! - `travel_infeasible`: with both neighbours known, the visit slipped in between is blamed, not them;
//! - `tap_shortfall`: the rep's share of visits showing materials without a tap, against the team's.
//!
//! Order-dependent codes keep their entry-time verdict: of two near-identical notes only the later one is the
//! copy (the one it was copied from is not), and lateness, backdating and night entry are facts of the entry.

use std::collections::{BTreeMap, HashMap};

use rusqlite::Connection;

use super::{input::AuditVisit, replay, AuditError};
use mrc_core::{
    ids::VisitId,
    store::{Store, StoreError},
    validate::{
        self, context::TapProfile, score_found, Code, Context, Reason, RuleSettings, Subject, UNGRADED,
    },
    visit::Channel,
};

/// The codes hindsight decides: the verdict of the whole month replaces the entry-time one.
pub const HINDSIGHT_CODES: [Code; 7] = [
    Code::EntryBurst,
    Code::RoundDurationPattern,
    Code::DurationRun,
    Code::HcpFrequency,
    Code::TooManyVisits,
    Code::TravelInfeasible,
    Code::TapShortfall,
];

/// The final judgement of one visit.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Judged {
    pub(super) score: u8,
    /// Distinct codes, in the validator's code order.
    pub(super) codes: Vec<Code>,
    pub(super) reasons: Vec<Reason>,
}

/// What the store judged each visit with as it was entered: each finding code and how clearly it passed.
pub(super) type Stored = HashMap<VisitId, Vec<(Code, f64)>>;

/// Each rep's tap record against the team's.
pub(super) type Profiles = HashMap<String, TapProfile>;

/// Judges every visit (indexed like `visits`) in `store` after the replay: its stored entry-time codes, with
/// the hindsight codes decided again on the whole month.
pub(super) fn judge_all(
    store: &Store,
    visits: &[AuditVisit],
    stored: &Stored,
    profiles: &Profiles,
) -> Result<Vec<Judged>, AuditError> {
    store.read(|conn| {
        replay::tune(conn)?;
        // `read` is one read transaction: one snapshot, and no lock taken and released around every statement.
        let rules = validate::load_rules(conn)?;
        // Hindsight adds no notes verdict, so it need not read the notes' signatures.
        let hindsight_rules = RuleSettings {
            duplicate_notes_window: 0,
            ..rules.clone()
        };
        let mut out = Vec::with_capacity(visits.len());
        for v in visits {
            let mut ctx = Context::load_entered(
                conn,
                v.id,
                &v.fields,
                hindsight_rules.clone(),
                replay::entry_time(v),
            )?;
            ctx.taps = v.fields.rep_id.as_ref().and_then(|r| profiles.get(r)).copied();
            let report = validate::validate(
                Subject {
                    fields: &v.fields,
                    amendment_reason: None,
                },
                &ctx,
            );
            let mut found: Vec<(Code, f64)> = stored.get(&v.id).cloned().unwrap_or_default();
            found.retain(|(c, _)| !HINDSIGHT_CODES.contains(c));
            // A kept finding the month judges again is weighed as the month sees it (a missing tap against the
            // rep's whole record); one it does not (a copied note) as it was judged at entry.
            for (code, strength) in &mut found {
                if let Some(again) = report.findings.iter().find(|f| f.code == *code) {
                    *strength = again.strength;
                }
            }
            found.extend(
                (report.findings.iter())
                    .filter(|f| HINDSIGHT_CODES.contains(&f.code))
                    .map(|f| (f.code, f.strength)),
            );
            found.sort_by_key(|f| f.0);
            let tapped = ctx.evidence.iter().any(|e| e.verified);
            let (score, reasons) = score_found(&found, tapped, &rules);
            let mut codes: Vec<Code> = found.iter().map(|(c, _)| *c).collect();
            codes.dedup();
            out.push(Judged {
                score,
                codes,
                reasons,
            });
        }
        Ok(out)
    })
}

/// The entry-time codes of every visit in `store`.
pub(super) fn read_stored(store: &Store) -> Result<Stored, StoreError> {
    store.read(stored_codes)
}

/// The finding codes the store judged each visit with as it was entered, with their strengths (ungraded where
/// none was stored).
fn stored_codes(conn: &Connection) -> Result<Stored, StoreError> {
    let mut stmt = conn.prepare("SELECT id, finding_codes, finding_strengths FROM visits")?;
    let mut rows = stmt.query([])?;
    let mut out = HashMap::new();
    while let Some(row) = rows.next()? {
        let id: Vec<u8> = row.get(0)?;
        let codes: String = row.get(1)?;
        let strengths: String = row.get(2)?;
        if let Ok(id) = VisitId::from_slice(&id) {
            let texts: Vec<String> = serde_json::from_str(&codes).unwrap_or_default();
            let strengths: HashMap<String, f64> = serde_json::from_str(&strengths).unwrap_or_default();
            let found = (texts.iter())
                .filter_map(|t| Code::parse(t).map(|c| (c, strengths.get(t).copied().unwrap_or(UNGRADED))))
                .collect();
            out.insert(id, found);
        }
    }
    Ok(out)
}

/// One rep's in-person visits that showed materials, and how many of them had no tap (as the store judged them
/// at entry).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TapRecord {
    pub shown: u32,
    pub missed: u32,
}

/// Each rep's [`TapRecord`] in `visits`.
pub(super) fn tap_records(visits: &[AuditVisit], stored: &Stored) -> BTreeMap<String, TapRecord> {
    let mut counts: BTreeMap<String, TapRecord> = BTreeMap::new();
    for v in visits {
        let f = &v.fields;
        let (Some(rep), true) = (f.rep_id.as_deref(), f.channel == Some(Channel::InPerson)) else {
            continue;
        };
        if f.materials_shown.is_empty() || f.started_at.is_none() {
            continue;
        }
        let missed = stored
            .get(&v.id)
            .is_some_and(|found| found.iter().any(|(c, _)| *c == Code::MaterialWithoutEvidence));
        let entry = counts.entry(rep.to_owned()).or_default();
        entry.shown += 1;
        entry.missed += u32::from(missed);
    }
    counts
}

/// The team's typical share of visits showing materials without a tap: the lower quartile over reps with enough
/// such visits (what careful reps achieve; when taps are not in use at all it is high, and nobody stands out).
pub fn team_miss_rate<'a>(records: impl IntoIterator<Item = &'a TapRecord>, rules: &RuleSettings) -> f64 {
    let mut rates: Vec<f64> = (records.into_iter())
        .filter(|r| r.shown >= rules.tap_shortfall_min_visits)
        .map(|r| f64::from(r.missed) / f64::from(r.shown))
        .collect();
    rates.sort_by(f64::total_cmp);
    rates.get(rates.len() / 4).copied().unwrap_or(0.0)
}

/// Each rep's tap record against the team's.
pub(super) fn tap_profiles(visits: &[AuditVisit], stored: &Stored, rules: &RuleSettings) -> Profiles {
    let records = tap_records(visits, stored);
    let team = team_miss_rate(records.values(), rules);
    (records.into_iter())
        .map(|(rep, r)| (rep, r.with_team(team)))
        .collect()
}

impl TapRecord {
    /// The record held against the team's share `team_miss_rate`.
    pub fn with_team(self, team_miss_rate: f64) -> TapProfile {
        TapProfile {
            shown: self.shown,
            missed: self.missed,
            team_miss_rate,
        }
    }
}
