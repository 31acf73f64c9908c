//! The local context a visit is judged against, read from the store in one snapshot.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::{similarity::Signature, RuleSettings};
use crate::{
    ids::VisitId,
    store::StoreError,
    visit::{Channel, VisitFields, VisitStatus},
};

/// The settings key of the latest trusted server time (ms since the epoch), written by sync.
pub const SERVER_TIME_KEY: &str = "sync.server_time_ms";

/// One catalog row of a material the visit names.
#[derive(Debug, Clone, PartialEq)]
pub struct MaterialRow {
    pub id: String,
    pub version: u32,
    pub approved: bool,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
}

/// Another visit of the same rep close in time.
#[derive(Debug, Clone, PartialEq)]
pub struct Neighbour {
    pub id: VisitId,
    pub channel: Option<Channel>,
    pub start_ms: i64,
    pub duration_min: Option<u32>,
    /// Local date of its start, in its own offset.
    pub local_date: Option<NaiveDate>,
    /// Coordinates of its institution, if known.
    pub coords: Option<(f64, f64)>,
}

/// A tap or open of a material near the visit.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub material_id: String,
    pub version: Option<u32>,
    pub at_ms: i64,
    /// The card's authenticity was checked (not merely pending).
    pub verified: bool,
}

/// A visit already stored under the id being validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Existing {
    pub status: VisitStatus,
    pub fields: VisitFields,
}

/// Everything the checks read. Built by [`Context::load`], or by hand in tests and the audit.
#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    pub rules: RuleSettings,
    /// The device time at which the visit is judged.
    pub now: DateTime<Utc>,
    pub rep_known: bool,
    pub portfolio: HashSet<String>,
    /// `Some(institution)` when the HCP is known.
    pub hcp_institution: Option<String>,
    /// Coordinates of the visit's institution, when known.
    pub institution_coords: Option<(f64, f64)>,
    pub institution_known: bool,
    /// Which of the visit's products exist.
    pub products_known: HashSet<String>,
    /// Every catalog version of the materials the visit names.
    pub materials: Vec<MaterialRow>,
    /// The rep's other visits from a day before to a day after this one.
    pub neighbours: Vec<Neighbour>,
    /// Signatures of the rep's latest notes (other visits).
    pub recent_notes: Vec<(VisitId, Signature)>,
    /// The rep's latest durations before this visit, newest first.
    pub recent_durations: Vec<u32>,
    /// Taps and opens of the visit's materials around its time.
    pub evidence: Vec<Evidence>,
    pub trusted_server_time: Option<DateTime<Utc>>,
    pub existing: Option<Existing>,
}

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

impl Context {
    /// Reads the context of `fields` (stored as `id`, if it is) from `conn`.
    pub fn load(
        conn: &Connection,
        id: Option<VisitId>,
        fields: &VisitFields,
        rules: RuleSettings,
        now: DateTime<Utc>,
    ) -> Result<Context, StoreError> {
        let own_id: Vec<u8> = id.map(|i| i.as_bytes().to_vec()).unwrap_or_default();
        let rep = fields.rep_id.as_deref().unwrap_or("");
        let exists = |sql: &str, key: &str| -> Result<bool, StoreError> {
            Ok(conn.prepare_cached(sql)?.query_row([key], |r| r.get(0))?)
        };
        let rep_known = exists("SELECT EXISTS (SELECT 1 FROM reps WHERE id = ?1)", rep)?;
        let portfolio = conn
            .prepare_cached("SELECT product_id FROM rep_products WHERE rep_id = ?1")?
            .query_map([rep], |r| r.get(0))?
            .collect::<Result<HashSet<String>, _>>()?;
        let hcp_institution = conn
            .prepare_cached("SELECT institution_id FROM hcps WHERE id = ?1")?
            .query_row([fields.hcp_id.as_deref().unwrap_or("")], |r| r.get(0))
            .optional()?;
        let institution_coords: Option<(f64, f64)> = conn
            .prepare_cached("SELECT lat, lon FROM institutions WHERE id = ?1")?
            .query_row([fields.institution_id.as_deref().unwrap_or("")], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let mut products_known = HashSet::new();
        for p in &fields.products {
            if exists(
                "SELECT EXISTS (SELECT 1 FROM products WHERE id = ?1)",
                &p.product_id,
            )? {
                products_known.insert(p.product_id.clone());
            }
        }
        let mut materials = Vec::new();
        let mut stmt = conn
            .prepare_cached("SELECT version, status, valid_from, valid_until FROM materials WHERE id = ?1")?;
        for m in &fields.materials_shown {
            let rows = stmt.query_map([&m.material_id], |r| {
                let (from, until): (String, String) = (r.get(2)?, r.get(3)?);
                Ok(MaterialRow {
                    id: m.material_id.clone(),
                    version: r.get(0)?,
                    approved: r.get::<_, String>(1)? == "approved",
                    valid_from: from.parse().unwrap_or(NaiveDate::MAX),
                    valid_until: until.parse().unwrap_or(NaiveDate::MIN),
                })
            })?;
            for row in rows {
                materials.push(row?);
            }
        }
        let start_ms = fields.started_at.map(|t| t.timestamp_millis());
        let neighbours = match start_ms {
            Some(start) => load_neighbours(conn, rep, &own_id, start)?,
            None => Vec::new(),
        };
        let recent_notes = load_recent_notes(conn, rep, &own_id, rules.duplicate_notes_window)?;
        let recent_durations = conn
            .prepare_cached(
                "SELECT duration_min FROM visits WHERE rep_id = ?1 AND id != ?2 AND started_at < ?3
                   AND duration_min IS NOT NULL ORDER BY started_at DESC LIMIT ?4",
            )?
            .query_map(
                params![
                    rep,
                    own_id,
                    start_ms.unwrap_or(i64::MAX),
                    rules.duration_pattern_window
                ],
                |r| r.get(0),
            )?
            .collect::<Result<Vec<u32>, _>>()?;
        let evidence = match start_ms {
            Some(start) => load_evidence(conn, fields, start, &rules)?,
            None => Vec::new(),
        };
        let trusted_server_time = conn
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([SERVER_TIME_KEY], |r| r.get::<_, String>(0))
            .optional()?
            .and_then(|v| v.parse::<i64>().ok())
            .and_then(DateTime::from_timestamp_millis);
        let existing = match id {
            Some(id) => crate::visit::read_stored(conn, id)?.map(|v| Existing {
                status: v.status,
                fields: v.fields,
            }),
            None => None,
        };
        Ok(Context {
            institution_known: institution_coords.is_some(),
            rules,
            now,
            rep_known,
            portfolio,
            hcp_institution,
            institution_coords,
            products_known,
            materials,
            neighbours,
            recent_notes,
            recent_durations,
            evidence,
            trusted_server_time,
            existing,
        })
    }
}

fn load_neighbours(
    conn: &Connection,
    rep: &str,
    own_id: &[u8],
    start: i64,
) -> Result<Vec<Neighbour>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT v.id, v.channel, v.started_at, v.utc_offset_min, v.duration_min, i.lat, i.lon
         FROM visits v LEFT JOIN institutions i ON i.id = v.institution_id
         WHERE v.rep_id = ?1 AND v.id != ?2 AND v.started_at BETWEEN ?3 AND ?4",
    )?;
    let rows = stmt.query_map(params![rep, own_id, start - DAY_MS, start + DAY_MS], |r| {
        let id: Vec<u8> = r.get(0)?;
        let channel: Option<String> = r.get(1)?;
        let start_ms: i64 = r.get(2)?;
        let offset_min: Option<i64> = r.get(3)?;
        let lat: Option<f64> = r.get(5)?;
        let lon: Option<f64> = r.get(6)?;
        Ok((
            id,
            channel,
            start_ms,
            offset_min,
            r.get::<_, Option<u32>>(4)?,
            lat.zip(lon),
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, channel, start_ms, offset_min, duration_min, coords) = row?;
        let Ok(id) = VisitId::from_slice(&id) else {
            continue;
        };
        let local_date = DateTime::from_timestamp_millis(start_ms + offset_min.unwrap_or(0) * 60_000)
            .map(|t| t.date_naive());
        out.push(Neighbour {
            id,
            channel: channel.and_then(|c| Channel::parse(&c)),
            start_ms,
            duration_min,
            local_date,
            coords,
        });
    }
    out.sort_by_key(|n| n.start_ms);
    Ok(out)
}

fn load_recent_notes(
    conn: &Connection,
    rep: &str,
    own_id: &[u8],
    window: u32,
) -> Result<Vec<(VisitId, Signature)>, StoreError> {
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

fn load_evidence(
    conn: &Connection,
    fields: &VisitFields,
    start: i64,
    rules: &RuleSettings,
) -> Result<Vec<Evidence>, StoreError> {
    let margin = i64::from(rules.evidence_margin_min) * 60_000;
    let end = start + i64::from(fields.duration_min.unwrap_or(0)) * 60_000;
    let mut stmt = conn.prepare_cached(
        "SELECT material_version, occurred_at, verification FROM events
         WHERE material_id = ?1 AND occurred_at BETWEEN ?2 AND ?3",
    )?;
    let mut out = Vec::new();
    for m in &fields.materials_shown {
        let rows = stmt.query_map(params![m.material_id, start - margin, end + margin], |r| {
            Ok((
                r.get::<_, Option<u32>>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (version, at_ms, verification) = row?;
            let counts = matches!(verification.as_str(), "verified" | "pending_verification");
            if counts {
                out.push(Evidence {
                    material_id: m.material_id.clone(),
                    version,
                    at_ms,
                    verified: verification == "verified",
                });
            }
        }
    }
    Ok(out)
}
