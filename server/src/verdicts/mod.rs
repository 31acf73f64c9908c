//! The audit's verdicts kept current (ADR 0022). A change to a rep's visits or taps queues the rep in the same
//! transaction that stores it; a worker takes queued reps one at a time, replays that rep's visits through the
//! core audit ([`RepAudit`]) and stores each visit's verdict. The one verdict that spans reps, `tap_shortfall`,
//! is kept right by comparing each rep's stored decision with the team's share after every rep is stored, and
//! queueing the reps whose decision moved. A new master data or rule settings version queues every rep.
//!
//! - [`inputs`]: a stored visit and its taps as the audit reads them.
//! - [`insights`]: the doctor-insight rows of a rep's visits, stored with its verdicts (ADR 0026).
//! - [`replay_all`]: every stored visit audited at once, the reference the kept verdicts equal.
//! - [`worker`]: the background thread that runs [`Auditor::step`] while the server serves.

mod full;
pub(crate) mod inputs;
mod insights;
pub mod worker;

pub use full::replay_all;

use std::sync::Arc;

use chrono::Duration;
use mrc_audit::{team_miss_rate, Audited, RepAudit, TapRecord};
use mrc_core::{
    clock::SharedClock,
    master::MasterData,
    validate::RuleSettings,
    visit::{DocState, VisitStatus},
    VisitId,
};

use crate::{
    store::{transact, Access, Claim, JsonDoc, RepTally, ServerStore, Tx, VisitVerdict},
    ServerError,
};

/// How long a worker holds a rep before another process may take it (a worker that died lets go by then).
pub const LEASE: Duration = Duration::minutes(5);

/// What one [`Auditor::step`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Nothing was queued.
    Idle,
    /// This rep's verdicts were stored.
    Audited(String),
}

fn internal(what: &str, err: impl std::fmt::Display) -> ServerError {
    ServerError::Internal(format!("verdicts: {what}: {err}"))
}

/// The master data and rule settings, with their versions (0: none stored).
type Basis = ((u64, MasterData), (u64, RuleSettings));

/// The stored [`Basis`].
fn basis(tx: &mut dyn Tx) -> Result<Basis, ServerError> {
    let master = match tx.json_doc(JsonDoc::Master)? {
        Some(m) => (
            m.version,
            serde_json::from_str(&m.json).map_err(|e| internal("stored master data", e))?,
        ),
        None => (0, MasterData::default()),
    };
    let rules = match tx.json_doc(JsonDoc::Rules)? {
        Some(r) => (
            r.version,
            RuleSettings::from_json(&r.json).map_err(|e| internal("stored rule settings", e.reason))?,
        ),
        None => (0, RuleSettings::default()),
    };
    Ok((master, rules))
}

/// Audits queued reps of one store, keeping the parsed master data and rule settings between reps (a company's
/// master data is megabytes of JSON).
pub struct Auditor<'a> {
    store: &'a dyn ServerStore,
    clock: SharedClock,
    basis: Option<Parsed>,
}

/// The parsed master data and rule settings of a pair of versions.
struct Parsed {
    versions: (u64, u64),
    master: Arc<MasterData>,
    rules: Arc<RuleSettings>,
}

impl<'a> Auditor<'a> {
    pub fn new(store: &'a dyn ServerStore, clock: SharedClock) -> Auditor<'a> {
        Auditor {
            store,
            clock,
            basis: None,
        }
    }

    /// Audits one queued rep again, if any is waiting, and stores its verdicts. Queues every rep first when the
    /// master data or rule settings changed since the stored verdicts were computed.
    pub fn step(&mut self) -> Result<Step, ServerError> {
        let now = self.clock.now();
        let now_ms = now.timestamp_millis();
        let (current, computed_with, (waiting, _)) = transact(self.store, Access::Read, |tx| {
            Ok((tx.basis_versions()?, tx.verdict_basis()?, tx.queue_state()?))
        })?;
        if current != computed_with {
            requeue_everyone(self.store, now_ms)?;
        } else if waiting == 0 {
            return Ok(Step::Idle);
        }
        let lease_until = (now + LEASE).timestamp_millis();
        let claimed = transact(self.store, Access::Write, |tx| {
            Ok(tx.claim_rep(now_ms, lease_until)?)
        })?;
        let Some(claim) = claimed else {
            return Ok(Step::Idle);
        };
        let (master, rules) = self.basis(current)?;
        audit_rep(self.store, &claim, &master, &rules, now_ms)?;
        Ok(Step::Audited(claim.rep_id))
    }

    /// Runs [`Auditor::step`] until nothing is queued; returns how many reps were audited.
    pub fn catch_up(&mut self) -> Result<usize, ServerError> {
        let mut audited = 0;
        while let Step::Audited(_) = self.step()? {
            audited += 1;
        }
        Ok(audited)
    }

    /// The parsed master data and rule settings of `versions`, read again only when they changed. (If they change
    /// again meanwhile, the next step queues every rep once more.)
    fn basis(&mut self, versions: (u64, u64)) -> Result<(Arc<MasterData>, Arc<RuleSettings>), ServerError> {
        if let Some(parsed) = self.basis.as_ref().filter(|p| p.versions == versions) {
            return Ok((parsed.master.clone(), parsed.rules.clone()));
        }
        let ((master_version, master), (rules_version, rules)) = transact(self.store, Access::Read, basis)?;
        let (master, rules) = (Arc::new(master), Arc::new(rules));
        self.basis = Some(Parsed {
            versions: (master_version, rules_version),
            master: master.clone(),
            rules: rules.clone(),
        });
        Ok((master, rules))
    }
}

/// Queues every rep (of the master data, and every rep with stored verdicts), recording the versions the
/// verdicts are now computed with.
fn requeue_everyone(store: &dyn ServerStore, now_ms: i64) -> Result<(), ServerError> {
    transact(store, Access::Write, |tx| {
        let versions = tx.basis_versions()?;
        if tx.verdict_basis()? == versions {
            return Ok(());
        }
        let ((_, master), _) = basis(tx)?;
        let mut reps: Vec<String> = master.reps.iter().map(|r| r.id.clone()).collect();
        reps.extend(tx.rep_tallies()?.into_iter().map(|(rep, _)| rep));
        tx.queue_reps(&reps, now_ms)?;
        tx.set_verdict_basis(versions.0, versions.1)?;
        Ok(())
    })
}

/// Audits every queued rep of `store` on this thread (see [`Auditor::catch_up`]).
pub fn catch_up(store: &dyn ServerStore, clock: &SharedClock) -> Result<usize, ServerError> {
    Auditor::new(store, clock.clone()).catch_up()
}

/// What the audit of one rep reads, in one read transaction.
struct RepInput {
    docs: Vec<(VisitId, DocState)>,
    taps: std::collections::BTreeMap<Vec<u8>, Vec<mrc_audit::Tap>>,
    others: Vec<TapRecord>,
}

fn read_rep(store: &dyn ServerStore, rep: &str, master: &MasterData) -> Result<RepInput, ServerError> {
    transact(store, Access::Read, |tx| {
        let docs = if master.reps.iter().any(|r| r.id == rep) {
            inputs::stored_states(tx, &[rep.to_owned()])?
        } else {
            Vec::new()
        };
        let taps = inputs::taps_by_visit(&tx.events_of_rep(rep)?);
        let others = (tx.rep_tallies()?.into_iter())
            .filter(|(r, _)| r != rep)
            .map(|(_, t)| TapRecord {
                shown: t.shown,
                missed: t.missed,
            })
            .collect();
        Ok(RepInput { docs, taps, others })
    })
}

fn audit_rep(
    store: &dyn ServerStore,
    claim: &Claim,
    master: &MasterData,
    rules: &RuleSettings,
    now_ms: i64,
) -> Result<(), ServerError> {
    let rep = claim.rep_id.as_str();
    let input = read_rep(store, rep, master)?;
    let visits = inputs::audit_visits(&input.docs, input.taps);
    let dir = tempfile::tempdir().map_err(|e| internal("cannot create a temporary folder", e))?;
    let (record, team, audited) = if visits.is_empty() {
        (TapRecord::default(), 0.0, Vec::new())
    } else {
        let audit = RepAudit::replay(dir.path(), master, rules, rep, visits)
            .map_err(|e| internal("the audit failed", e))?;
        let record = audit.tap_record();
        let team = team_miss_rate(input.others.iter().chain([&record]), rules);
        let audited = audit.judge(team).map_err(|e| internal("the audit failed", e))?;
        (record, team, audited)
    };
    let verdicts: Vec<VisitVerdict> = (audited.iter().zip(&input.docs))
        .map(|(a, (id, state))| verdict(rep, id, state, a))
        .collect::<Result<_, _>>()?;
    let facts = insights::facts(rep, &input.docs, master, rules);
    // The decision the verdicts were judged with.
    let tally = RepTally {
        shown: record.shown,
        missed: record.missed,
        shortfall_percent: record.with_team(team).shortfall_percent(rules),
    };
    transact(store, Access::Write, |tx| {
        tx.lock_team()?;
        tx.put_verdicts(rep, &tally, &verdicts)?;
        tx.put_insight_facts(rep, &facts)?;
        // With every rep's record as now stored, the team's share may have moved (another worker stored a rep
        // meanwhile, or this rep's record changed): every rep whose decision now differs, this one included, is
        // audited again.
        let tallies = tx.rep_tallies()?;
        let record_of = |t: &RepTally| TapRecord {
            shown: t.shown,
            missed: t.missed,
        };
        let team = team_miss_rate(
            &tallies.iter().map(|(_, t)| record_of(t)).collect::<Vec<_>>(),
            rules,
        );
        let moved: Vec<String> = (tallies.into_iter())
            .filter(|(_, t)| record_of(t).with_team(team).shortfall_percent(rules) != t.shortfall_percent)
            .map(|(r, _)| r)
            .collect();
        if !moved.is_empty() {
            tx.queue_reps(&moved, now_ms)?;
        }
        tx.release_rep(claim)?;
        Ok(())
    })
}

/// The stored verdict of one audited visit.
fn verdict(
    rep: &str,
    id: &VisitId,
    state: &DocState,
    audited: &Audited,
) -> Result<VisitVerdict, ServerError> {
    Ok(VisitVerdict {
        doc_id: *id.as_bytes(),
        rep_id: rep.to_owned(),
        started_at_ms: state.fields.started_at.map(|t| t.timestamp_millis()),
        score: audited.score,
        codes: audited.codes.iter().map(|c| c.as_str().to_owned()).collect(),
        reasons: serde_json::to_string(&audited.reasons).map_err(|e| internal("a verdict's reasons", e))?,
        status: match state.status {
            VisitStatus::Draft => "draft",
            VisitStatus::Submitted => "submitted",
            VisitStatus::Amended => "amended",
        }
        .to_owned(),
        needs_review: state.needs_review,
        amendments: u32::try_from(state.amendments.len()).unwrap_or(u32::MAX),
    })
}
