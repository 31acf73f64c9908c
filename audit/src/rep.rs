//! One rep audited on its own, for a server that keeps every visit's verdict and audits again only the rep whose
//! visits changed. Every check reads the rep's own visits, except `tap_shortfall`, which holds the rep's
//! [`TapRecord`] against the team's share: the caller gathers every rep's record, computes
//! [`team_miss_rate`](super::team_miss_rate) and passes it to [`RepAudit::judge`]. The verdicts are those
//! [`audit`](super::audit) gives the same visits among the whole team's.

use std::path::Path;

use super::{
    audited,
    hindsight::{self, Profiles, Stored, TapRecord},
    input::AuditVisit,
    replay, AuditError, Audited,
};
use mrc_core::{master::MasterData, store::Store, validate::RuleSettings};

/// One rep's visits, replayed and ready to be judged.
pub struct RepAudit {
    store: Store,
    rep: String,
    visits: Vec<AuditVisit>,
    stored: Stored,
    record: TapRecord,
}

impl RepAudit {
    /// Replays `visits` (all of one rep's, `rep`) into a fresh store created in `dir` (an empty folder the caller
    /// removes afterwards), with the part of `master` they use and `rules`.
    pub fn replay(
        dir: &Path,
        master: &MasterData,
        rules: &RuleSettings,
        rep: &str,
        visits: Vec<AuditVisit>,
    ) -> Result<RepAudit, AuditError> {
        let store = Store::open(dir.join("rep.db"))?;
        store
            .import_master(&master_for(master, rep, &visits))
            .map_err(AuditError::Master)?;
        store.set_rules(rules)?;
        replay::replay(&store, &visits)?;
        let stored = hindsight::read_stored(&store)?;
        let record = (hindsight::tap_records(&visits, &stored).remove(rep)).unwrap_or_default();
        Ok(RepAudit {
            store,
            rep: rep.to_owned(),
            visits,
            stored,
            record,
        })
    }

    /// The rep's tap record, for the team's share.
    pub fn tap_record(&self) -> TapRecord {
        self.record
    }

    /// Every visit's verdict, in the order given to [`RepAudit::replay`], against the team's share of visits
    /// without a tap.
    pub fn judge(&self, team_miss_rate: f64) -> Result<Vec<Audited>, AuditError> {
        let profiles: Profiles = [(self.rep.clone(), self.record.with_team(team_miss_rate))].into();
        let judged = hindsight::judge_all(&self.store, &self.visits, &self.stored, &profiles)?;
        Ok(audited(&self.visits, judged))
    }
}

/// The part of `master` that judging `rep`'s `visits` reads: the rep, the doctors and institutions they name
/// (with the doctors' institutions), every product, material and card key, and the insight catalog. Every lookup of the checks is by an
/// id a visit names, so the verdicts are the same as with the whole company's master data, which can be large.
fn master_for(master: &MasterData, rep: &str, visits: &[AuditVisit]) -> MasterData {
    use std::collections::HashSet;
    let hcps: HashSet<&str> = visits.iter().filter_map(|v| v.fields.hcp_id.as_deref()).collect();
    let hcps: Vec<_> = (master.hcps.iter())
        .filter(|h| hcps.contains(h.id.as_str()))
        .cloned()
        .collect();
    let institutions: HashSet<&str> = (visits.iter())
        .filter_map(|v| v.fields.institution_id.as_deref())
        .chain(hcps.iter().map(|h| h.institution_id.as_str()))
        .collect();
    MasterData {
        reps: master.reps.iter().filter(|r| r.id == rep).cloned().collect(),
        institutions: (master.institutions.iter())
            .filter(|i| institutions.contains(i.id.as_str()))
            .cloned()
            .collect(),
        hcps,
        products: master.products.clone(),
        materials: master.materials.clone(),
        card_keys: master.card_keys.clone(),
        adoption_stages: master.adoption_stages.clone(),
        topics: master.topics.clone(),
    }
}
