//! The local context a visit is judged against, read from the store in one snapshot.
//!
//! What the store holds is what the checks see: on a device that is everything entered so far; in the audit's
//! replay it is every visit entered before this one (so each visit is judged as of its own entry time), and in
//! the audit's hindsight pass it is the whole month.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::{history, rhythm, similarity, RuleSettings};
use crate::{
    ids::VisitId,
    master::InsightCatalog,
    store::StoreError,
    visit::{Channel, VisitFields, VisitStatus},
};

pub use super::{history::NoteSource, rhythm::Entry};

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
    /// Address of its institution, if known.
    pub address: Option<String>,
    /// When it was entered, ms since the epoch.
    pub entered_ms: i64,
}

/// A tap or open near the visit: of a material it shows, or (with an empty `material_id`) a tap recorded
/// during this visit that names no material, which still shows the rep met the doctor.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub material_id: String,
    pub version: Option<u32>,
    pub at_ms: i64,
    /// The card's authenticity was checked (not merely pending).
    pub verified: bool,
}

/// How often the rep's in-person visits that showed materials had no tap, beside the team's share. Only the
/// audit knows the team, so only the audit fills it in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TapProfile {
    /// The rep's in-person visits that showed materials.
    pub shown: u32,
    /// How many of them had no tap or open of the material.
    pub missed: u32,
    /// The team's typical share of such visits without a tap (0–1).
    pub team_miss_rate: f64,
}

/// A visit already stored under the id being validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Existing {
    pub status: VisitStatus,
    pub fields: VisitFields,
}

/// Everything the checks read. Built by [`Context::load`], or by hand in tests.
#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    pub rules: RuleSettings,
    /// The device time at which the visit is judged.
    pub now: DateTime<Utc>,
    /// When the visit was entered: the stored entry time of a stored visit, else `now`.
    pub entered_at: DateTime<Utc>,
    pub rep_known: bool,
    pub portfolio: HashSet<String>,
    /// `Some(institution)` when the HCP is known.
    pub hcp_institution: Option<String>,
    /// Coordinates of the visit's institution, when known.
    pub institution_coords: Option<(f64, f64)>,
    /// Address of the visit's institution, when known (clinics in one building share it).
    pub institution_address: Option<String>,
    pub institution_known: bool,
    /// Which of the visit's products exist.
    pub products_known: HashSet<String>,
    /// Every catalog version of the materials the visit names.
    pub materials: Vec<MaterialRow>,
    /// The rep's other visits from a day before to a day after this one.
    pub neighbours: Vec<Neighbour>,
    /// Signatures of the rep's latest notes (other visits).
    pub recent_notes: Vec<(VisitId, super::similarity::Signature)>,
    /// Earlier notes whose signature is close to this one's, with their text, to compare exactly.
    pub note_sources: Vec<NoteSource>,
    /// The rep's latest durations before this visit, newest first.
    pub recent_durations: Vec<u32>,
    /// Durations of the rep's visits on other days, the nearest in time first: the rep's own rounding habit.
    pub baseline_durations: Vec<u32>,
    /// Taps and opens of the visit's materials around its time.
    pub evidence: Vec<Evidence>,
    /// The rep's other visits entered within a few hours of this one, in entry order.
    pub entries: Vec<Entry>,
    /// Start times (ms) of the rep's other visits to the same HCP, within the frequency window either side.
    pub hcp_visits: Vec<i64>,
    /// The rep's usual visits to one doctor in a frequency window (upper quartile over their other doctors); read
    /// only when the doctor is past the fixed maximum (0 otherwise).
    pub usual_doctor_count: u32,
    pub trusted_server_time: Option<DateTime<Utc>>,
    pub existing: Option<Existing>,
    /// The rep's zone: every day and hour of the day is judged in it (never in a timestamp's own offset).
    pub zone: chrono_tz::Tz,
    /// The form is being entered now (the live check of a new visit): it counts as entered after every stored
    /// visit, whatever their entry stamps say.
    pub being_entered: bool,
    /// The rep's record of taps against the team's (the audit's hindsight; `None` on a device).
    pub taps: Option<TapProfile>,
    /// The adoption ladder and topic taxonomy insights are coded against.
    pub catalog: InsightCatalog,
}

impl Context {
    /// Reads the context of `fields` (stored as `id`, if it is) from `conn`.
    pub fn load(
        conn: &Connection,
        id: Option<VisitId>,
        fields: &VisitFields,
        rules: RuleSettings,
        now: DateTime<Utc>,
    ) -> Result<Context, StoreError> {
        Context::read(conn, id, fields, rules, now, None)
    }

    /// The context of the stored visit `id` (with `fields`) judged as of its entry time `entered_at`, without
    /// reading the stored visit back: the caller knows it (the audit's hindsight). `existing` stays empty.
    pub fn load_entered(
        conn: &Connection,
        id: VisitId,
        fields: &VisitFields,
        rules: RuleSettings,
        entered_at: DateTime<Utc>,
    ) -> Result<Context, StoreError> {
        Context::read(conn, Some(id), fields, rules, entered_at, Some(entered_at))
    }

    fn read(
        conn: &Connection,
        id: Option<VisitId>,
        fields: &VisitFields,
        rules: RuleSettings,
        now: DateTime<Utc>,
        entered: Option<DateTime<Utc>>,
    ) -> Result<Context, StoreError> {
        let own_id: Vec<u8> = id.map(|i| i.as_bytes().to_vec()).unwrap_or_default();
        let rep = fields.rep_id.as_deref().unwrap_or("");
        let exists = |sql: &str, key: &str| -> Result<bool, StoreError> {
            Ok(conn.prepare_cached(sql)?.query_row([key], |r| r.get(0))?)
        };
        let rep_zone: Option<Option<String>> = conn
            .prepare_cached("SELECT time_zone FROM reps WHERE id = ?1")?
            .query_row([rep], |r| r.get(0))
            .optional()?;
        let rep_known = rep_zone.is_some();
        // The rep's own zone, else the settings' (both checked at import): days and hours are local to it.
        let zone = rep_zone
            .flatten()
            .and_then(|z| crate::local_time::parse_zone(&z))
            .unwrap_or_else(|| rules.zone());
        let portfolio = conn
            .prepare_cached("SELECT product_id FROM rep_products WHERE rep_id = ?1")?
            .query_map([rep], |r| r.get(0))?
            .collect::<Result<HashSet<String>, _>>()?;
        let hcp_institution = conn
            .prepare_cached("SELECT institution_id FROM hcps WHERE id = ?1")?
            .query_row([fields.hcp_id.as_deref().unwrap_or("")], |r| r.get(0))
            .optional()?;
        let institution: Option<(f64, f64, String)> = conn
            .prepare_cached("SELECT lat, lon, address FROM institutions WHERE id = ?1")?
            .query_row([fields.institution_id.as_deref().unwrap_or("")], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
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
        let materials = load_materials(conn, fields)?;
        let start_ms = fields.started_at.map(|t| t.timestamp_millis());
        let neighbours = match start_ms {
            Some(start) => history::neighbours(conn, rep, &own_id, start, zone)?,
            None => Vec::new(),
        };
        // Notes too short to compare need no signatures to compare them with.
        let comparable = similarity::normalize(&fields.notes).len() as u32 >= rules.duplicate_notes_min_chars;
        let window = if comparable {
            rules.duplicate_notes_window
        } else {
            0
        };
        let recent_notes = history::recent_notes(conn, rep, &own_id, window)?;
        let note_sources = history::note_sources(conn, fields, &recent_notes, &rules)?;
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
        let baseline_durations = match fields.started_at {
            Some(start) => rhythm::baseline_durations(conn, rep, start, zone, &rules)?,
            None => Vec::new(),
        };
        let evidence = match start_ms {
            Some(start) => history::evidence(conn, fields, &own_id, start, &rules)?,
            None => Vec::new(),
        };
        let trusted_server_time = conn
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([SERVER_TIME_KEY], |r| r.get::<_, String>(0))
            .optional()?
            .and_then(|v| v.parse::<i64>().ok())
            .and_then(DateTime::from_timestamp_millis);
        let stored = match (id, entered) {
            (Some(id), None) => history::stored(conn, id)?,
            _ => None,
        };
        let entered_at = entered.unwrap_or_else(|| stored.as_ref().map_or(now, |s| s.entered_at));
        let entries = rhythm::entries(conn, rep, &own_id, entered_at, &rules)?;
        let (hcp_visits, usual_doctor_count) = match (start_ms, fields.hcp_id.as_deref()) {
            (Some(start), Some(hcp)) => {
                let visits = rhythm::hcp_visits(conn, rep, hcp, &own_id, start, &rules)?;
                // The rep's cadence only matters once the doctor is past the fixed maximum: rarely read.
                let past_max = u32::try_from(visits.len()).unwrap_or(u32::MAX) >= rules.hcp_frequency_max;
                let usual = if past_max {
                    rhythm::usual_doctor_count(conn, rep, hcp, start, &rules)?
                } else {
                    0
                };
                (visits, usual)
            }
            _ => (Vec::new(), 0),
        };
        Ok(Context {
            institution_known: institution.is_some(),
            rules,
            now,
            entered_at,
            rep_known,
            portfolio,
            hcp_institution,
            institution_coords: institution.as_ref().map(|(lat, lon, _)| (*lat, *lon)),
            institution_address: institution.map(|(_, _, address)| address),
            products_known,
            materials,
            neighbours,
            recent_notes,
            note_sources,
            recent_durations,
            baseline_durations,
            evidence,
            entries,
            hcp_visits,
            usual_doctor_count,
            trusted_server_time,
            existing: stored.map(|s| Existing {
                status: s.status,
                fields: s.fields,
            }),
            being_entered: false,
            zone,
            taps: None,
            catalog: crate::master::load_catalog(conn)?,
        })
    }
}

fn load_materials(conn: &Connection, fields: &VisitFields) -> Result<Vec<MaterialRow>, StoreError> {
    let mut materials = Vec::new();
    let mut stmt =
        conn.prepare_cached("SELECT version, status, valid_from, valid_until FROM materials WHERE id = ?1")?;
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
    Ok(materials)
}
