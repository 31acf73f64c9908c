//! Every stored visit audited again at once, the way the head-office view used to on every request: the
//! reference the kept verdicts must equal (the contract suite compares them), and a check an operator can run.

use mrc_audit::{self as audit, DEFAULT_THRESHOLD};
use mrc_core::VisitId;

use super::{basis, inputs, internal, verdict};
use crate::{
    store::{transact, Access, VisitVerdict},
    ServerError, ServerStore,
};

/// The verdict of every stored visit of the master data's reps, from one replay of them all.
pub fn replay_all(store: &dyn ServerStore) -> Result<Vec<VisitVerdict>, ServerError> {
    let (master, rules, docs, events) = transact(store, Access::Read, |tx| {
        let ((_, master), (_, rules)) = basis(tx)?;
        let reps: Vec<String> = master.reps.iter().map(|r| r.id.clone()).collect();
        let docs = inputs::stored_states(tx, &reps)?;
        Ok((master, rules, docs, tx.events_since(i64::MIN)?))
    })?;
    let visits = inputs::audit_visits(&docs, inputs::taps_by_visit(&events));
    let dir = tempfile::tempdir().map_err(|e| internal("cannot create a temporary folder", e))?;
    let result = audit::audit(
        dir.path(),
        &master,
        &rules,
        &visits,
        Vec::new(),
        DEFAULT_THRESHOLD,
    )
    .map_err(|e| internal("the audit failed", e))?;
    (result.visits.iter().zip(&docs))
        .map(|(audited, (id, state)): (_, &(VisitId, _))| {
            let rep = state.fields.rep_id.clone().unwrap_or_default();
            verdict(&rep, id, state, audited)
        })
        .collect()
}
