//! Running the audit over several stores at once. Every check looks at one rep's visits only (their
//! neighbours, notes, entries, doctors, taps), so the reps are split into shards, each replayed into its own
//! store on its own thread; the verdicts are those of one store, only sooner. The team's tap record, the one
//! thing that spans reps, is gathered from all shards before hindsight.

use std::{collections::BTreeMap, path::Path};

use super::{
    hindsight::{self, Judged, Stored},
    input::AuditVisit,
    replay, AuditError,
};
use mrc_core::{master::MasterData, store::Store, validate::RuleSettings};

/// How many shards to use for `visits`: one per core (at most four), never more than there are reps.
pub(super) fn count(visits: &[AuditVisit]) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let reps = visits
        .iter()
        .map(|v| v.fields.rep_id.as_deref())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    cores.min(4).min(reps).max(1)
}

/// Splits the visits' indices into `n` shards of whole reps, the busiest reps first onto the least loaded shard.
fn split(visits: &[AuditVisit], n: usize) -> Vec<Vec<usize>> {
    let mut by_rep: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
    for (i, v) in visits.iter().enumerate() {
        by_rep.entry(v.fields.rep_id.as_deref()).or_default().push(i);
    }
    let mut reps: Vec<Vec<usize>> = by_rep.into_values().collect();
    reps.sort_by_key(|list| std::cmp::Reverse(list.len()));
    let mut shards: Vec<Vec<usize>> = vec![Vec::new(); n.max(1)];
    for list in reps {
        if let Some(lightest) = shards.iter_mut().min_by_key(|s| s.len()) {
            lightest.extend(list);
        }
    }
    for shard in &mut shards {
        shard.sort_unstable();
    }
    shards
}

/// Runs `f` on every shard, each on its own thread, and returns the results in shard order.
fn each<T: Send>(
    shards: &[(Store, Vec<AuditVisit>)],
    f: impl Fn(&Store, &[AuditVisit]) -> Result<T, AuditError> + Sync,
) -> Result<Vec<T>, AuditError> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = (shards.iter())
            .map(|(store, visits)| scope.spawn(|| f(store, visits)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(AuditError::Panicked)))
            .collect()
    })
}

/// Replays and judges `visits` in `n` fresh stores under `dir`; the judgements are indexed like `visits`.
pub(super) fn run(
    dir: &Path,
    master: &MasterData,
    rules: &RuleSettings,
    visits: &[AuditVisit],
    n: usize,
) -> Result<Vec<Judged>, AuditError> {
    let parts = split(visits, n);
    let mut shards = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        let store = Store::open(dir.join(format!("audit-{i}.db")))?;
        store.import_master(master).map_err(AuditError::Master)?;
        store.set_rules(rules)?;
        shards.push((store, part.iter().map(|&k| visits[k].clone()).collect::<Vec<_>>()));
    }
    each(&shards, |store, part| replay::replay(store, part).map(|_| ()))?;
    let mut stored = Stored::new();
    for (store, _) in &shards {
        stored.extend(hindsight::read_stored(store)?);
    }
    let profiles = hindsight::tap_profiles(visits, &stored, rules);
    let judged = each(&shards, |store, part| {
        hindsight::judge_all(store, part, &stored, &profiles)
    })?;
    let mut out: Vec<Option<Judged>> = vec![None; visits.len()];
    for (part, results) in parts.iter().zip(judged) {
        for (&k, j) in part.iter().zip(results) {
            out[k] = Some(j);
        }
    }
    Ok(out.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_hold_whole_reps_and_balance_them() {
        let visit = |rep: &str| AuditVisit {
            line: 0,
            id_text: String::new(),
            id: mrc_core::ids::VisitId::new_v7(),
            fields: mrc_core::visit::VisitFields {
                rep_id: Some(rep.into()),
                ..Default::default()
            },
            entered_at: None,
            taps: Vec::new(),
        };
        let visits: Vec<AuditVisit> = ["A", "B", "A", "C", "A", "B"].iter().map(|r| visit(r)).collect();
        assert_eq!(split(&visits, 2), vec![vec![0, 2, 4], vec![1, 3, 5]]);
        assert_eq!(split(&visits, 1), vec![vec![0, 1, 2, 3, 4, 5]]);
    }
}
