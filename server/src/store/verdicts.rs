//! The audit's verdicts as stored (ADR 0022): one row per visit, each rep's tap record, and the queue of reps
//! whose visits changed since they were last audited. [`VerdictTx`] is the part of a transaction that reads and
//! writes them; `crate::verdicts` keeps them current.

use mrc_core::sync::wire::DocId;

use super::{StoreError, StoredEvent};

/// One visit's stored verdict and what the head-office view lists with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitVerdict {
    pub doc_id: DocId,
    pub rep_id: String,
    pub started_at_ms: Option<i64>,
    pub score: u8,
    /// Finding codes, in the validator's order.
    pub codes: Vec<String>,
    /// The score's reasons as JSON (an array of `mrc_core::validate::Reason`).
    pub reasons: String,
    /// `draft`, `submitted` or `amended`.
    pub status: String,
    pub needs_review: bool,
    pub amendments: u32,
}

/// A rep's tap record and whether its verdicts held it to fall short of the team's taps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RepTally {
    pub shown: u32,
    pub missed: u32,
    /// The usual share (percent) the rep was held against when it fell short, else `None`.
    pub shortfall_percent: Option<i64>,
}

/// A queued rep taken by a worker: audited again, then released with [`VerdictTx::release_rep`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub rep_id: String,
    /// The queue entry's generation when taken: if it moved meanwhile, the rep stays queued.
    pub generation: i64,
}

/// Which stored verdicts to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerdictFilter {
    /// Visits started from `from_ms` (inclusive) until `until_ms` (exclusive); visits without a start are left
    /// out when either is given.
    pub from_ms: Option<i64>,
    pub until_ms: Option<i64>,
    pub rep_id: Option<String>,
    /// Only visits with this finding code.
    pub code: Option<String>,
}

/// Visits of one rep with one score, in a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreCount {
    pub rep_id: String,
    pub score: u8,
    pub visits: u64,
    /// Of them: waiting for a reviewer, and amended after submission.
    pub needs_review: u64,
    pub amended: u64,
}

/// Visits of one rep carrying one finding code, in a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeVisits {
    pub rep_id: String,
    pub code: String,
    pub visits: u64,
}

/// Engagement events of one material version (or none), kind and verification in one quarter of an hour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngagementCount {
    pub material_id: Option<String>,
    pub material_version: Option<u32>,
    /// `nfc_tap`, `web_tap` or `web_open`.
    pub kind: String,
    pub verified: bool,
    /// Milliseconds since 1970 divided by [`QUARTER_HOUR_MS`]: every time zone's day starts on one.
    pub quarter_hour: i64,
    pub events: u64,
}

/// The bucket width of [`EngagementCount`].
pub const QUARTER_HOUR_MS: i64 = 15 * 60 * 1000;

/// Codes as stored: `,a,b,` (so `LIKE '%,a,%'` finds one exactly).
pub(crate) fn codes_to_column(codes: &[String]) -> String {
    let mut out = String::from(",");
    for c in codes {
        out.push_str(c);
        out.push(',');
    }
    out
}

/// Stored codes back as a list.
pub(crate) fn codes_from_column(column: &str) -> Vec<String> {
    column
        .split(',')
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The `LIKE` pattern of one code (codes are lower-case letters and underscores; `_` is escaped).
pub(crate) fn code_pattern(code: &str) -> String {
    format!(
        "%,{},%",
        code.replace('\\', "\\\\").replace('_', "\\_").replace('%', "\\%")
    )
}

/// The verdict operations of one transaction.
pub trait VerdictTx {
    /// Queues `reps` to be audited again (one already queued gets a new generation and keeps its queue time).
    fn queue_reps(&mut self, reps: &[String], now_ms: i64) -> Result<(), StoreError>;
    /// Takes the longest-waiting queued rep that no worker holds, holding it until `lease_until_ms`.
    fn claim_rep(&mut self, now_ms: i64, lease_until_ms: i64) -> Result<Option<Claim>, StoreError>;
    /// Removes a taken rep from the queue if it was not queued again meanwhile (then frees it). Returns whether
    /// it left the queue.
    fn release_rep(&mut self, claim: &Claim) -> Result<bool, StoreError>;
    /// How many reps wait to be audited again, and when the oldest was queued.
    fn queue_state(&mut self) -> Result<(u64, Option<i64>), StoreError>;
    /// Replaces every stored verdict of `rep_id` with `verdicts`, and its tally.
    fn put_verdicts(
        &mut self,
        rep_id: &str,
        tally: &RepTally,
        verdicts: &[VisitVerdict],
    ) -> Result<(), StoreError>;
    /// Every rep's stored tally.
    fn rep_tallies(&mut self) -> Result<Vec<(String, RepTally)>, StoreError>;
    /// Serializes the writers that compare tallies across reps until this transaction ends.
    fn lock_team(&mut self) -> Result<(), StoreError>;
    /// The versions of the current master data and rule settings (0: none stored), without reading them.
    fn basis_versions(&mut self) -> Result<(u64, u64), StoreError>;
    /// The master-data and rule-settings versions the stored verdicts were computed with.
    fn verdict_basis(&mut self) -> Result<(u64, u64), StoreError>;
    /// Records the versions the verdicts are now being computed with.
    fn set_verdict_basis(&mut self, master: u64, rules: u64) -> Result<(), StoreError>;
    /// Stored verdicts matching `filter`, latest start first, then by id, `limit` from `offset`.
    fn verdicts(
        &mut self,
        filter: &VerdictFilter,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<VisitVerdict>, StoreError>;
    /// The stored verdict of one visit.
    fn verdict(&mut self, doc_id: &DocId) -> Result<Option<VisitVerdict>, StoreError>;
    /// Visits started in `[from_ms, until_ms)`, counted per rep and score.
    fn score_counts(&mut self, from_ms: i64, until_ms: i64) -> Result<Vec<ScoreCount>, StoreError>;
    /// Visits started in `[from_ms, until_ms)`, counted per rep and finding code.
    fn code_counts(&mut self, from_ms: i64, until_ms: i64) -> Result<Vec<CodeVisits>, StoreError>;
    /// The visits to look at among those started in `[from_ms, until_ms)` (scoring below `threshold`, waiting for
    /// review, or amended), lowest score first: how many there are, and `limit` of them from `offset`.
    fn to_look_at(
        &mut self,
        from_ms: i64,
        until_ms: i64,
        threshold: u8,
        offset: u64,
        limit: u64,
    ) -> Result<(u64, Vec<VisitVerdict>), StoreError>;
    /// Visits started in `[from_ms, until_ms)` in start order, `limit` of them after `after` (start, id): pages
    /// of an export that never holds more than one.
    fn verdicts_after(
        &mut self,
        from_ms: i64,
        until_ms: i64,
        after: Option<(i64, DocId)>,
        limit: u64,
    ) -> Result<Vec<VisitVerdict>, StoreError>;
    /// Taps and opens that occurred in `[from_ms, until_ms)`, counted per material version, kind, verification
    /// and quarter of an hour.
    fn engagement_counts(&mut self, from_ms: i64, until_ms: i64) -> Result<Vec<EngagementCount>, StoreError>;
    /// The engagement events of one rep (what its device sent), oldest first.
    fn events_of_rep(&mut self, rep_id: &str) -> Result<Vec<StoredEvent>, StoreError>;
}
