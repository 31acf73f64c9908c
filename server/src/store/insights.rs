//! Doctor insights as stored for head office (ADR 0026): one row per insight of every stored visit, replaced with
//! the rep's verdicts by the same worker in the same transaction, so a sync recomputes one rep's rows and the
//! insights page only counts. [`InsightTx`] is the part of a transaction that writes and counts them.

use mrc_core::sync::wire::DocId;

use super::StoreError;

/// What an insight row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FactKind {
    /// An information need: `code` is the topic.
    Need,
    /// An adoption stage: `code` is the stage, `rank` its rank on the ladder.
    Stage,
    /// A question: `code` is its status, `flag` off-label.
    Question,
    /// Safety information: `flag` is "not forwarded yet".
    Safety,
    /// A material shown in the visit: `code` is the material, `rank` its version.
    Shown,
}

mrc_core::text_enum!(FactKind {
    Need => "need", Stage => "stage", Question => "question", Safety => "safety", Shown => "shown",
});

/// One row of `insight_facts`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsightFact {
    pub doc_id: DocId,
    pub rep_id: String,
    pub hcp_id: Option<String>,
    pub started_at_ms: Option<i64>,
    /// The visit's local date in its rep's zone (`YYYY-MM-DD`).
    pub day: Option<String>,
    pub kind: FactKind,
    pub product_id: Option<String>,
    pub code: String,
    pub rank: Option<u32>,
    pub item_id: Option<String>,
    pub topic: Option<String>,
    pub text: Option<String>,
    pub flag: bool,
    /// Stage: the previous stage of the same doctor and product among the rep's visits (code, rank, visit).
    pub previous: Option<(String, Option<u32>, DocId)>,
    /// Stage: when the next one started.
    pub next_started_at_ms: Option<i64>,
}

/// Visits on one local day that raised one need (topic) for one product (or in general).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedCount {
    pub day: String,
    pub product_id: Option<String>,
    pub topic: String,
    pub visits: u64,
}

/// Doctors whose latest stage for a product is `stage`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageCount {
    pub product_id: String,
    pub stage: String,
    pub rank: Option<u32>,
    pub doctors: u64,
}

/// Doctors who moved from one stage to another for a product, with the visit recording the move in the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageMove {
    pub product_id: String,
    pub from: String,
    pub to: String,
    /// Up the ladder (the new stage's rank is higher).
    pub up: bool,
    pub moves: u64,
}

/// A material version shown at the visit before a move up the ladder recorded in the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveMaterial {
    pub material_id: String,
    pub version: u32,
    pub moves_up: u64,
}

/// An off-label question not routed to Medical, or safety information not forwarded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Awaiting {
    pub doc_id: DocId,
    pub rep_id: String,
    pub hcp_id: Option<String>,
    pub started_at_ms: Option<i64>,
    pub kind: FactKind,
    pub product_id: Option<String>,
    pub text: String,
}

/// The insight operations of one transaction.
pub trait InsightTx {
    /// Replaces every insight row of `rep_id`'s visits with `facts`.
    fn put_insight_facts(&mut self, rep_id: &str, facts: &[InsightFact]) -> Result<(), StoreError>;
    /// Needs raised by visits started in `[from_ms, until_ms)`, per local day, product and topic.
    fn need_counts(&mut self, from_ms: i64, until_ms: i64) -> Result<Vec<NeedCount>, StoreError>;
    /// Each doctor's latest stage per product among visits started before `until_ms`, counted per stage.
    fn stage_counts(&mut self, until_ms: i64) -> Result<Vec<StageCount>, StoreError>;
    /// Changes of a doctor's stage for a product recorded by visits started in `[from_ms, until_ms)`.
    fn stage_moves(&mut self, from_ms: i64, until_ms: i64) -> Result<Vec<StageMove>, StoreError>;
    /// The materials shown at the visit before each move up recorded in `[from_ms, until_ms)`.
    fn move_materials(&mut self, from_ms: i64, until_ms: i64) -> Result<Vec<MoveMaterial>, StoreError>;
    /// Off-label questions not routed and safety information not forwarded, oldest first: how many, and `limit`.
    fn awaiting(&mut self, limit: u64) -> Result<(u64, Vec<Awaiting>), StoreError>;
    /// Safety information not forwarded from visits started before `before_ms`: past the forwarding deadline.
    fn safety_overdue(&mut self, before_ms: i64) -> Result<u64, StoreError>;
}

/// The queries, written once for both stores (`$n` parameters, each first used in order: SQLite numbers them so).
pub(crate) mod sql {
    pub const DELETE_OF_REP: &str = "DELETE FROM insight_facts WHERE rep_id = $1";

    pub const INSERT: &str =
        "INSERT INTO insight_facts (doc_id, rep_id, hcp_id, started_at_ms, day, kind, product_id,
                                  code, rank, item_id, topic, text, flag, previous_code, previous_rank, previous_doc,
                                  next_started_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";

    pub const NEED_COUNTS: &str = "SELECT day, product_id, code, count(*) FROM insight_facts
         WHERE kind = 'need' AND started_at_ms >= $1 AND started_at_ms < $2 AND day IS NOT NULL
         GROUP BY day, product_id, code ORDER BY day, product_id, code";

    /// Each doctor's stage at `$1`: the stage rows started before it whose next one had not.
    pub const STAGE_COUNTS: &str = "SELECT product_id, code, rank, count(*) FROM insight_facts
         WHERE kind = 'stage' AND (next_started_at_ms IS NULL OR next_started_at_ms >= $1) AND started_at_ms < $1
           AND hcp_id IS NOT NULL AND product_id IS NOT NULL
         GROUP BY product_id, code, rank ORDER BY product_id, rank, code";

    pub const STAGE_MOVES: &str = "SELECT product_id, previous_code, previous_rank, code, rank, count(*)
         FROM insight_facts
         WHERE kind = 'stage' AND started_at_ms >= $1 AND started_at_ms < $2 AND previous_code IS NOT NULL
           AND previous_code <> code
         GROUP BY product_id, previous_code, previous_rank, code, rank ORDER BY product_id, previous_rank, rank";

    pub const MOVE_MATERIALS: &str = "SELECT f.code, f.rank, count(*) FROM insight_facts s
         JOIN insight_facts f ON f.doc_id = s.previous_doc AND f.kind = 'shown'
         WHERE s.kind = 'stage' AND s.started_at_ms >= $1 AND s.started_at_ms < $2 AND s.rank > s.previous_rank
         GROUP BY f.code, f.rank ORDER BY count(*) DESC, f.code, f.rank";

    pub const AWAITING_COUNT: &str = "SELECT count(*) FROM insight_facts
         WHERE (kind = 'question' AND flag AND code <> 'routed') OR (kind = 'safety' AND flag)";

    pub const SAFETY_OVERDUE: &str = "SELECT count(*) FROM insight_facts
         WHERE kind = 'safety' AND flag AND started_at_ms < $1";

    pub const AWAITING: &str = "SELECT doc_id, rep_id, hcp_id, started_at_ms, kind, product_id, text
         FROM insight_facts
         WHERE (kind = 'question' AND flag AND code <> 'routed') OR (kind = 'safety' AND flag)
         ORDER BY started_at_ms, doc_id, item_id LIMIT $1";
}
