//! The rep's history around a visit, read for its [`Context`](super::Context): neighbouring visits, recent notes
//! and tap evidence. The rep's rhythm (entries, doctors, durations) is in `rhythm`.

use chrono::DateTime;
use rusqlite::{params, Connection};

use super::{
    context::{Evidence, Neighbour},
    similarity::{self, Signature},
    RuleSettings,
};
use crate::{
    ids::VisitId,
    store::StoreError,
    visit::{Channel, Visit, VisitFields},
};

pub(super) const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// How many earlier notes are compared exactly with the form's notes.
const NOTE_SOURCES: usize = 5;

/// An earlier note of the rep whose signature is close to the form's, with its HCP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSource {
    pub id: VisitId,
    pub hcp_id: Option<String>,
    pub notes: String,
}

pub(super) fn stored(conn: &Connection, id: VisitId) -> Result<Option<Visit>, StoreError> {
    crate::visit::read_stored(conn, id)
}

pub(super) fn neighbours(
    conn: &Connection,
    rep: &str,
    own_id: &[u8],
    start: i64,
    zone: chrono_tz::Tz,
) -> Result<Vec<Neighbour>, StoreError> {
    let mut stmt = conn.prepare_cached(
        // Scalar subqueries, not a join: with the bundled SQLite a join with bound parameters is prepared again
        // on every run, which cost a sixth of the audit.
        "SELECT v.id, v.channel, v.started_at, v.duration_min,
                (SELECT lat FROM institutions WHERE id = v.institution_id),
                (SELECT lon FROM institutions WHERE id = v.institution_id),
                (SELECT address FROM institutions WHERE id = v.institution_id),
                v.entered_at
         FROM visits v
         WHERE v.rep_id = ?1 AND v.id != ?2 AND v.started_at BETWEEN ?3 AND ?4",
    )?;
    let mut rows = stmt.query(params![rep, own_id, start - DAY_MS, start + DAY_MS])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let id: Vec<u8> = r.get(0)?;
        let Ok(id) = VisitId::from_slice(&id) else {
            continue;
        };
        let channel: Option<String> = r.get(1)?;
        let start_ms: i64 = r.get(2)?;
        let lat: Option<f64> = r.get(4)?;
        let lon: Option<f64> = r.get(5)?;
        let local_date =
            DateTime::from_timestamp_millis(start_ms).map(|t| crate::local_time::local_day(&t, zone));
        out.push(Neighbour {
            id,
            channel: channel.and_then(|c| Channel::parse(&c)),
            start_ms,
            duration_min: r.get(3)?,
            local_date,
            coords: lat.zip(lon),
            address: r.get(6)?,
            entered_ms: r.get(7)?,
        });
    }
    out.sort_by_key(|n| (n.start_ms, n.id));
    Ok(out)
}

pub(super) fn recent_notes(
    conn: &Connection,
    rep: &str,
    own_id: &[u8],
    window: u32,
) -> Result<Vec<(VisitId, Signature)>, StoreError> {
    if window == 0 {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, notes_sig FROM visits WHERE rep_id = ?1 AND id != ?2 AND notes_sig IS NOT NULL
         ORDER BY started_at DESC LIMIT ?3",
    )?;
    let mut rows = stmt.query(params![rep, own_id, window])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let id: Vec<u8> = row.get(0)?;
        let sig = row.get_ref(1)?.as_blob().ok().and_then(Signature::from_bytes);
        if let (Ok(id), Some(sig)) = (VisitId::from_slice(&id), sig) {
            out.push((id, sig));
        }
    }
    Ok(out)
}

/// The texts of the earlier notes whose MinHash estimate comes within 20 points of the duplicate threshold,
/// best first, so the check can confirm a copy exactly and tell a follow-up note from one.
pub(super) fn note_sources(
    conn: &Connection,
    fields: &VisitFields,
    recent: &[(VisitId, Signature)],
    rules: &RuleSettings,
) -> Result<Vec<NoteSource>, StoreError> {
    let normalized = similarity::normalize(&fields.notes);
    if recent.is_empty() || (normalized.len() as u32) < rules.duplicate_notes_min_chars {
        return Ok(Vec::new());
    }
    let sig = similarity::signature(&similarity::shingles(&normalized));
    let floor = f64::from(rules.duplicate_notes_percent.saturating_sub(20)) / 100.0;
    let mut close: Vec<(f64, VisitId)> = recent
        .iter()
        .map(|(id, other)| (similarity::estimate(&sig, other), *id))
        .filter(|(estimate, _)| *estimate >= floor)
        .collect();
    close.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut stmt = conn.prepare_cached("SELECT hcp_id, notes FROM visits WHERE id = ?1")?;
    let mut out = Vec::new();
    for (_, id) in close.into_iter().take(NOTE_SOURCES) {
        let mut rows = stmt.query([id.as_bytes().as_slice()])?;
        if let Some(row) = rows.next()? {
            out.push(NoteSource {
                id,
                hcp_id: row.get(0)?,
                notes: row.get(1)?,
            });
        }
    }
    Ok(out)
}

/// Taps and opens of the shown materials around the visit, and taps recorded during this very visit that name
/// no material. An event recorded during another visit is not evidence for this one.
pub(super) fn evidence(
    conn: &Connection,
    fields: &VisitFields,
    own_id: &[u8],
    start: i64,
    rules: &RuleSettings,
) -> Result<Vec<Evidence>, StoreError> {
    let margin = i64::from(rules.evidence_margin_min) * 60_000;
    let end = start + i64::from(fields.duration_min.unwrap_or(0)) * 60_000;
    let counts = |verification: &str| matches!(verification, "verified" | "pending_verification");
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT material_version, occurred_at, verification FROM events
         WHERE material_id = ?1 AND occurred_at BETWEEN ?2 AND ?3 AND (visit_id IS NULL OR visit_id = ?4)",
    )?;
    for m in &fields.materials_shown {
        let mut rows = stmt.query(params![m.material_id, start - margin, end + margin, own_id])?;
        while let Some(r) = rows.next()? {
            let verification: String = r.get(2)?;
            if counts(&verification) {
                out.push(Evidence {
                    material_id: m.material_id.clone(),
                    version: r.get(0)?,
                    at_ms: r.get(1)?,
                    verified: verification == "verified",
                });
            }
        }
    }
    if !own_id.is_empty() {
        let mut stmt = conn.prepare_cached(
            "SELECT occurred_at, verification FROM events
             WHERE visit_id = ?1 AND material_id IS NULL AND occurred_at BETWEEN ?2 AND ?3",
        )?;
        let mut rows = stmt.query(params![own_id, start - margin, end + margin])?;
        while let Some(r) = rows.next()? {
            let verification: String = r.get(1)?;
            if counts(&verification) {
                out.push(Evidence {
                    material_id: String::new(),
                    version: None,
                    at_ms: r.get(0)?,
                    verified: verification == "verified",
                });
            }
        }
    }
    Ok(out)
}
