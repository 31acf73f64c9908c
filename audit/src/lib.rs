//! The reliability audit: a month of visit records (this app's, or an export from the CRM used before) replayed
//! through the real store and validator, each visit scored as of its own entry time, then adjusted with what
//! only hindsight shows; a score with reasons per visit and a summary per rep and for the team. ADR 0010.
//!
//! [`audit`] takes visits read from JSON Lines ([`input`]), the master data and the rule settings, and replays
//! them into fresh stores in a folder it is given (one per core, whole reps in each); [`audit_in`] does the same
//! in one given store; [`RepAudit`] audits one rep's visits on their own. [`evaluate`] measures scores against labels, [`export`] turns stored visits back into
//! audit lines.

pub mod evaluate;
pub mod export;
mod hindsight;
pub mod input;
mod rep;
mod replay;
mod shards;
mod summary;

use std::collections::BTreeMap;

use serde::Serialize;

pub use hindsight::{team_miss_rate, TapRecord, HINDSIGHT_CODES};
pub use input::{parse_lines, AuditVisit, Refused, Tap};
pub use rep::RepAudit;
pub use replay::entry_time;
pub use summary::{Band, CodeCount, Group, ScoreTally, Summary};

use std::path::Path;

use mrc_core::{
    master::{ImportError, MasterData},
    store::{Store, StoreError},
    validate::{Code, Reason, RuleSettings},
    visit::VisitError,
};

/// The default threshold: a visit scoring below it is flagged.
pub const DEFAULT_THRESHOLD: u8 = 50;

/// Why an audit could not run (a refused line is not an error: it is reported and counted).
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Visit(#[from] VisitError),
    /// The master data could not be imported into the audit's store.
    #[error("the master data is not usable: {0}")]
    Master(#[source] ImportError),
    /// A worker thread stopped unexpectedly.
    #[error("an audit worker stopped unexpectedly")]
    Panicked,
}

/// One audited visit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Audited {
    /// The id exactly as the input gave it.
    pub id: String,
    pub line: usize,
    pub rep_id: Option<String>,
    /// 0–100, lower = less reliable.
    pub score: u8,
    /// Distinct finding codes behind the score.
    pub codes: Vec<Code>,
    /// What moved the score.
    pub reasons: Vec<Reason>,
}

/// The audit's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditResult {
    /// Every audited visit, in input order.
    pub visits: Vec<Audited>,
    /// Lines that could not be used.
    pub refused: Vec<Refused>,
    pub summary: Summary,
}

/// The scores file entry of one visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct VisitScore {
    pub score: u8,
    pub codes: Vec<String>,
}

impl AuditResult {
    /// `{"<id>": {"score": n, "codes": [...]}, ...}` keyed by the ids as given, in sorted order.
    pub fn scores(&self) -> BTreeMap<&str, VisitScore> {
        self.visits
            .iter()
            .map(|v| {
                let codes = v.codes.iter().map(|c| c.as_str().to_owned()).collect();
                (
                    v.id.as_str(),
                    VisitScore {
                        score: v.score,
                        codes,
                    },
                )
            })
            .collect()
    }
}

/// Audits `visits` in fresh stores created under `dir` (an empty folder the caller removes afterwards), with
/// `master` and `rules`; the reps are spread over one store per core. `refused` are the lines that could not be
/// read, reported with the result.
pub fn audit(
    dir: &Path,
    master: &MasterData,
    rules: &RuleSettings,
    visits: &[AuditVisit],
    refused: Vec<Refused>,
    threshold: u8,
) -> Result<AuditResult, AuditError> {
    let judged = shards::run(dir, master, rules, visits, shards::count(visits))?;
    Ok(finish(visits, judged, refused, threshold))
}

/// Audits `visits` in one `store` (fresh, with master data and rules imported): the same verdicts as
/// [`audit`], on one thread.
pub fn audit_in(
    store: &Store,
    visits: &[AuditVisit],
    refused: Vec<Refused>,
    threshold: u8,
) -> Result<AuditResult, AuditError> {
    replay::replay(store, visits)?;
    let stored = hindsight::read_stored(store)?;
    let rules = store.rules()?;
    let profiles = hindsight::tap_profiles(visits, &stored, &rules);
    let judged = hindsight::judge_all(store, visits, &stored, &profiles)?;
    Ok(finish(visits, judged, refused, threshold))
}

/// The judgements of `visits` (indexed alike) as the audit reports them.
fn audited(visits: &[AuditVisit], judged: Vec<hindsight::Judged>) -> Vec<Audited> {
    (visits.iter().zip(judged))
        .map(|(v, j)| Audited {
            id: v.id_text.clone(),
            line: v.line,
            rep_id: v.fields.rep_id.clone(),
            score: j.score,
            codes: j.codes,
            reasons: j.reasons,
        })
        .collect()
}

fn finish(
    visits: &[AuditVisit],
    judged: Vec<hindsight::Judged>,
    refused: Vec<Refused>,
    threshold: u8,
) -> AuditResult {
    let visits = audited(visits, judged);
    let summary = summary::summarize(&visits, threshold);
    AuditResult {
        visits,
        refused,
        summary,
    }
}
