//! Writing a visit's projection row (and its product/material rows) from the document state, with its
//! reliability score judged as of the visit's entry time, and the MinHash signature of its notes.

use rusqlite::{params, OptionalExtension, Transaction};

use super::document::DocState;
use crate::{
    ids::VisitId,
    store::StoreError,
    validate::context::SERVER_TIME_KEY,
    validate::{self, similarity, Context, Subject},
};

/// The stored judgement of a visit: score, finding codes (JSON array), their strengths (JSON object) and notes
/// signature.
struct Judgement {
    score: u8,
    codes: String,
    strengths: String,
    notes_sig: Vec<u8>,
}

/// Scores the visit as of its entry time against what the store holds now. Lifecycle rules are not part of
/// the stored score: they judge an edit, not the record. The device clock is checked against the server time
/// known at entry (`entry_server_ms`), never against one learned later: a visit pulled from another device, or
/// entered here before a later sync, did not roll any clock back.
fn judge(
    tx: &Transaction<'_>,
    state: &DocState,
    entry_server_ms: Option<i64>,
) -> Result<Judgement, StoreError> {
    let rules = validate::load_rules(tx)?;
    let mut ctx = Context::load(tx, Some(state.id), &state.fields, rules, state.entered_at)?;
    ctx.existing = None;
    ctx.trusted_server_time = entry_server_ms.and_then(chrono::DateTime::from_timestamp_millis);
    let report = validate::validate(
        Subject {
            fields: &state.fields,
            amendment_reason: None,
        },
        &ctx,
    );
    let mut codes: Vec<&str> = report.findings.iter().map(|f| f.code.as_str()).collect();
    codes.dedup();
    let mut strengths: std::collections::BTreeMap<&str, f64> = std::collections::BTreeMap::new();
    for f in &report.findings {
        let s = strengths.entry(f.code.as_str()).or_insert(0.0);
        // Six decimals: the distance far past a clear point still counts (see `validate::evidence`), and the text
        // is the same on every platform.
        *s = s.max((f.strength * 1e6).round() / 1e6);
    }
    let normalized = similarity::normalize(&state.fields.notes);
    let notes_sig = if (normalized.len() as u32) < ctx.rules.duplicate_notes_min_chars {
        Vec::new()
    } else {
        similarity::signature(&similarity::shingles(&normalized)).to_bytes()
    };
    Ok(Judgement {
        score: report.score,
        codes: serde_json::to_string(&codes).unwrap_or_else(|_| "[]".into()),
        strengths: serde_json::to_string(&strengths).unwrap_or_else(|_| "{}".into()),
        notes_sig,
    })
}

/// The keystroke path: updates only the notes, their signature, the heads and the chunk count, and clears the
/// stored score (NULL = to be judged at the next save point).
pub(crate) fn write_notes(
    tx: &Transaction<'_>,
    id: crate::ids::VisitId,
    notes: &str,
    updated_at_ms: i64,
    chunks: i64,
    heads: &[u8],
) -> Result<(), StoreError> {
    let rules = validate::load_rules(tx)?;
    let normalized = similarity::normalize(notes);
    let sig = ((normalized.len() as u32) >= rules.duplicate_notes_min_chars)
        .then(|| similarity::signature(&similarity::shingles(&normalized)).to_bytes());
    tx.prepare_cached(
        "UPDATE visits SET notes = ?2, notes_sig = ?3, updated_at = ?4, chunk_count = ?5, heads = ?6, score = NULL
         WHERE id = ?1",
    )?
    .execute(params![id.as_bytes().as_slice(), notes, sig, updated_at_ms, chunks, heads])?;
    Ok(())
}

/// Whether the stored score was cleared by keystroke edits and waits to be judged again.
pub(crate) fn score_cleared(tx: &Transaction<'_>, id: crate::ids::VisitId) -> Result<bool, StoreError> {
    Ok(tx
        .prepare_cached("SELECT score IS NULL FROM visits WHERE id = ?1")?
        .query_row([id.as_bytes().as_slice()], |r| r.get(0))?)
}

/// The newest server time this device knows (ms): what a visit entered now is stamped with.
pub(crate) fn known_server_time(tx: &Transaction<'_>) -> Result<Option<i64>, StoreError> {
    Ok(tx
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([SERVER_TIME_KEY], |r| r.get::<_, String>(0))
        .optional()?
        .and_then(|v| v.parse().ok()))
}

/// The server time known when visit `id` was entered here (`None`: entered elsewhere, or none was known).
pub(crate) fn entry_server_time(tx: &Transaction<'_>, id: VisitId) -> Result<Option<i64>, StoreError> {
    Ok(tx
        .prepare_cached("SELECT entry_server_time FROM visits WHERE id = ?1")?
        .query_row([id.as_bytes().as_slice()], |r| r.get(0))
        .optional()?
        .flatten())
}

/// Inserts or replaces the projection of `state`, stamped with the local time `updated_at_ms`; `entry_server_ms`
/// is the server time known when the visit was entered on this device.
pub(crate) fn write(
    tx: &Transaction<'_>,
    state: &DocState,
    updated_at_ms: i64,
    chunks: i64,
    heads: &[u8],
    entry_server_ms: Option<i64>,
) -> Result<(), StoreError> {
    let judgement = judge(tx, state, entry_server_ms)?;
    let id = state.id.as_bytes().as_slice();
    let f = &state.fields;
    tx.prepare_cached(
        "INSERT INTO visits (id, rep_id, hcp_id, institution_id, channel, started_at, utc_offset_min,
                             duration_min, reaction, next_objective, notes, status, entered_at, updated_at,
                             first_submitted_at, chunk_count, score, finding_codes, notes_sig,
                             amendment_count, heads, needs_review, entry_server_time, finding_strengths,
                             insights)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,
                 ?22, ?23, ?24, ?25)
         ON CONFLICT (id) DO UPDATE SET rep_id = excluded.rep_id, hcp_id = excluded.hcp_id,
             institution_id = excluded.institution_id, channel = excluded.channel,
             started_at = excluded.started_at, utc_offset_min = excluded.utc_offset_min,
             duration_min = excluded.duration_min, reaction = excluded.reaction,
             next_objective = excluded.next_objective, notes = excluded.notes, status = excluded.status,
             entered_at = excluded.entered_at, updated_at = excluded.updated_at,
             first_submitted_at = excluded.first_submitted_at, chunk_count = excluded.chunk_count,
             score = excluded.score, finding_codes = excluded.finding_codes, notes_sig = excluded.notes_sig,
             amendment_count = excluded.amendment_count, heads = excluded.heads,
             needs_review = excluded.needs_review, entry_server_time = excluded.entry_server_time,
             finding_strengths = excluded.finding_strengths, insights = excluded.insights",
    )?
    .execute(params![
        id,
        f.rep_id,
        f.hcp_id,
        f.institution_id,
        f.channel.map(|c| c.as_str()),
        f.started_at.map(|t| t.timestamp_millis()),
        f.started_at.map(|t| t.offset().local_minus_utc() / 60),
        f.duration_min,
        f.reaction.map(|r| r.as_str()),
        f.next_objective,
        f.notes,
        state.status.as_str(),
        state.entered_at.timestamp_millis(),
        updated_at_ms,
        state.first_submitted_at.map(|t| t.timestamp_millis()),
        chunks,
        judgement.score,
        judgement.codes,
        (!judgement.notes_sig.is_empty()).then_some(judgement.notes_sig),
        state.amendments.len() as i64,
        heads,
        state.needs_review,
        entry_server_ms,
        judgement.strengths,
        serde_json::to_string(&f.insights).map_err(|e| StoreError::Inconsistent(e.to_string()))?,
    ])?;
    tx.prepare_cached("DELETE FROM visit_products WHERE visit_id = ?1")?
        .execute([id])?;
    let mut insert =
        tx.prepare_cached("INSERT INTO visit_products (visit_id, product_id, priority) VALUES (?1, ?2, ?3)")?;
    for p in &f.products {
        insert.execute(params![id, p.product_id, p.priority])?;
    }
    tx.prepare_cached("DELETE FROM visit_materials WHERE visit_id = ?1")?
        .execute([id])?;
    let mut insert = tx
        .prepare_cached("INSERT INTO visit_materials (visit_id, material_id, version) VALUES (?1, ?2, ?3)")?;
    for m in &f.materials_shown {
        insert.execute(params![id, m.material_id, m.version])?;
    }
    Ok(())
}
