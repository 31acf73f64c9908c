//! Visit reads, answered from the projection rows only (never by loading documents).

use chrono::{DateTime, Days, FixedOffset, NaiveDate, Utc};
use rusqlite::{params, Connection, Row};

use super::{
    Channel, MaterialShown, ProductDiscussed, Reaction, Visit, VisitError, VisitFields, VisitStatus,
};
use crate::{
    ids::VisitId,
    local_time,
    store::{Store, StoreError},
};

/// Which visits a list shows. Lists are newest first. Days are local to the store's zone (the rule settings'
/// `time_zone`), never to the offset a time is written with.
#[derive(Debug, Clone, PartialEq)]
pub enum VisitFilter {
    /// Visits that start on the local day of the instant `now`.
    Today { now: DateTime<Utc> },
    /// All visits of one HCP.
    Hcp(String),
    /// Visits starting between two local dates, both included.
    Dates { from: NaiveDate, to: NaiveDate },
}

const COLUMNS: &str = "id, rep_id, hcp_id, institution_id, channel, started_at, utc_offset_min, duration_min,
    reaction, next_objective, notes, status, entered_at, updated_at, first_submitted_at, score, finding_codes,
    amendment_count, needs_review, insights";

impl Store {
    /// One visit.
    pub fn get_visit(&self, id: VisitId) -> Result<Visit, VisitError> {
        self.read(|conn| {
            let sql = format!("SELECT {COLUMNS} FROM visits WHERE id = ?1");
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query([id.as_bytes().as_slice()])?;
            match rows.next()? {
                Some(row) => Ok(read_visit(conn, row)?),
                None => Err(VisitError::NotFound(id)),
            }
        })
    }

    /// Visits matching `filter`, newest first.
    pub fn list_visits(&self, filter: &VisitFilter) -> Result<Vec<Visit>, VisitError> {
        self.read(|conn| {
            let by_time = format!(
                "SELECT {COLUMNS} FROM visits WHERE started_at >= ?1 AND started_at < ?2
                 ORDER BY started_at DESC, id DESC"
            );
            let (sql, args): (String, Vec<rusqlite::types::Value>) = match filter {
                VisitFilter::Today { now } => {
                    let zone = crate::validate::load_rules(conn)?.zone();
                    let day = local_time::local_day(now, zone);
                    let (from, to) = day_bounds(day, day, zone);
                    (by_time, vec![from.into(), to.into()])
                }
                VisitFilter::Dates { from, to } => {
                    let zone = crate::validate::load_rules(conn)?.zone();
                    let (from, to) = day_bounds(*from, *to, zone);
                    (by_time, vec![from.into(), to.into()])
                }
                VisitFilter::Hcp(hcp) => (
                    format!(
                        "SELECT {COLUMNS} FROM visits WHERE hcp_id = ?1
                         ORDER BY started_at IS NULL, started_at DESC, id DESC"
                    ),
                    vec![hcp.clone().into()],
                ),
            };
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
            let mut visits = Vec::new();
            while let Some(row) = rows.next()? {
                visits.push(read_visit(conn, row)?);
            }
            Ok(visits)
        })
    }

    /// How many visits are stored.
    pub fn visit_count(&self) -> Result<u64, StoreError> {
        self.read(|conn| {
            let n: i64 = conn.query_row("SELECT count(*) FROM visits", [], |row| row.get(0))?;
            Ok(n.max(0) as u64)
        })
    }
}

/// The stored visit `id`, if there is one (for callers already holding a connection).
pub(crate) fn read_stored(conn: &Connection, id: VisitId) -> Result<Option<Visit>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM visits WHERE id = ?1");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query([id.as_bytes().as_slice()])?;
    match rows.next()? {
        Some(row) => Ok(Some(read_visit(conn, row)?)),
        None => Ok(None),
    }
}

/// Milliseconds bounds `[start of from, start of the day after to)` in `zone`.
fn day_bounds(from: NaiveDate, to: NaiveDate, zone: chrono_tz::Tz) -> (i64, i64) {
    let after = to.checked_add_days(Days::new(1)).unwrap_or(to);
    let start = |day| local_time::day_start(day, zone).timestamp_millis();
    (start(from), start(after))
}

fn millis(value: Option<i64>) -> Option<DateTime<Utc>> {
    value.and_then(DateTime::from_timestamp_millis)
}

fn read_visit(conn: &Connection, row: &Row<'_>) -> Result<Visit, StoreError> {
    let id_bytes: Vec<u8> = row.get(0)?;
    let id = VisitId::from_slice(&id_bytes).map_err(|e| StoreError::Inconsistent(e.to_string()))?;
    let started_ms: Option<i64> = row.get(5)?;
    let offset_min: Option<i32> = row.get(6)?;
    let started_at = match (millis(started_ms), offset_min) {
        (Some(utc), Some(min)) => FixedOffset::east_opt(min * 60).map(|offset| utc.with_timezone(&offset)),
        _ => None,
    };
    let text = |i: usize| -> Result<Option<String>, rusqlite::Error> { row.get(i) };
    let mut fields = VisitFields {
        rep_id: text(1)?,
        hcp_id: text(2)?,
        institution_id: text(3)?,
        channel: text(4)?.and_then(|s| Channel::parse(&s)),
        started_at,
        duration_min: row.get(7)?,
        products: Vec::new(),
        materials_shown: Vec::new(),
        reaction: text(8)?.and_then(|s| Reaction::parse(&s)),
        next_objective: text(9)?,
        notes: row.get(10)?,
        insights: serde_json::from_str(&row.get::<_, String>(19)?)
            .map_err(|e| StoreError::Inconsistent(format!("stored insights: {e}")))?,
    };
    let key = id.as_bytes().as_slice();
    let mut stmt = conn.prepare_cached(
        "SELECT product_id, priority FROM visit_products WHERE visit_id = ?1 ORDER BY priority, product_id",
    )?;
    fields.products = stmt
        .query_map(params![key], |r| {
            Ok(ProductDiscussed {
                product_id: r.get(0)?,
                priority: r.get(1)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT material_id, version FROM visit_materials WHERE visit_id = ?1 ORDER BY material_id",
    )?;
    fields.materials_shown = stmt
        .query_map(params![key], |r| {
            Ok(MaterialShown {
                material_id: r.get(0)?,
                version: r.get(1)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let status: String = row.get(11)?;
    Ok(Visit {
        id,
        fields,
        status: VisitStatus::parse(&status).unwrap_or(VisitStatus::Draft),
        entered_at: millis(row.get(12)?).unwrap_or_default(),
        updated_at: millis(row.get(13)?).unwrap_or_default(),
        first_submitted_at: millis(row.get(14)?),
        score: row.get(15)?,
        finding_codes: serde_json::from_str(&row.get::<_, String>(16)?).unwrap_or_default(),
        amendment_count: row.get(17)?,
        needs_review: row.get(18)?,
    })
}
