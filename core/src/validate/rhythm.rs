//! The rep's rhythm around a visit, read for its [`Context`](super::Context): when the rep's other visits were
//! entered (bursts), when the same doctor was seen (frequency), and how long the rep's visits on other days last
//! (the rep's own habit of rounding).

use chrono::{DateTime, FixedOffset, Utc};
use rusqlite::{params, Connection};

use super::{history::DAY_MS, RuleSettings};
use crate::{ids::VisitId, store::StoreError};

/// Entries this close (either side) are loaded to find a burst; a longer burst is still one burst.
const ENTRY_WINDOW_MS: i64 = 3 * 60 * 60 * 1000;

/// Another visit of the rep and when it was entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub id: VisitId,
    /// Entry time, ms since the epoch.
    pub entered_ms: i64,
}

/// The rep's other visits entered within a few hours of `entered_at`, in entry order. Only visits that started
/// within twice the backdating limit before the entry are looked at (the `(rep_id, started_at)` index bounds the
/// search); entries later than that are `backdate_limit` errors anyway.
pub(super) fn entries(
    conn: &Connection,
    rep: &str,
    own_id: &[u8],
    entered_at: DateTime<Utc>,
    rules: &RuleSettings,
) -> Result<Vec<Entry>, StoreError> {
    let at = entered_at.timestamp_millis();
    let lookback = i64::from(rules.backdate_days.max(1)) * 2 * DAY_MS;
    let mut stmt = conn.prepare_cached(
        "SELECT id, entered_at FROM visits
         WHERE rep_id = ?1 AND id != ?2 AND started_at BETWEEN ?3 AND ?4 AND entered_at BETWEEN ?5 AND ?6",
    )?;
    let mut rows = stmt.query(params![
        rep,
        own_id,
        at.saturating_sub(lookback),
        at.saturating_add(DAY_MS),
        at.saturating_sub(ENTRY_WINDOW_MS),
        at.saturating_add(ENTRY_WINDOW_MS)
    ])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let id: Vec<u8> = r.get(0)?;
        if let Ok(id) = VisitId::from_slice(&id) {
            out.push(Entry {
                id,
                entered_ms: r.get(1)?,
            });
        }
    }
    out.sort_by_key(|e| (e.entered_ms, e.id));
    Ok(out)
}

/// Start times of the rep's other visits to `hcp` within the frequency window either side of `start`.
pub(super) fn hcp_visits(
    conn: &Connection,
    rep: &str,
    hcp: &str,
    own_id: &[u8],
    start: i64,
    rules: &RuleSettings,
) -> Result<Vec<i64>, StoreError> {
    let window = i64::from(rules.hcp_frequency_days) * DAY_MS;
    // `+rep_id`: look the doctor up by the (hcp_id, started_at) index, not through the rep's visits.
    let mut stmt = conn.prepare_cached(
        "SELECT started_at FROM visits
         WHERE hcp_id = ?1 AND +rep_id = ?2 AND id != ?3 AND started_at BETWEEN ?4 AND ?5",
    )?;
    let mut out = stmt
        .query_map(
            params![
                hcp,
                rep,
                own_id,
                start.saturating_sub(window),
                start.saturating_add(window)
            ],
            |r| r.get(0),
        )?
        .collect::<Result<Vec<i64>, _>>()?;
    out.sort_unstable();
    Ok(out)
}

/// The rep's usual number of visits to one doctor in a frequency window centred on `start`: the upper quartile of
/// the counts of the rep's other doctors (0 when the rep saw no other doctor). A rep with a small territory sees
/// every doctor often; that is their cadence, not fabrication.
pub(super) fn usual_doctor_count(
    conn: &Connection,
    rep: &str,
    hcp: &str,
    start: i64,
    rules: &RuleSettings,
) -> Result<u32, StoreError> {
    let half = i64::from(rules.hcp_frequency_days) * DAY_MS / 2;
    let mut stmt = conn.prepare_cached(
        // The rep's window by (rep_id, started_at), never the whole (hcp_id, …) index for the GROUP BY's order.
        "SELECT count(*) FROM visits INDEXED BY visits_rep_started
         WHERE rep_id = ?1 AND hcp_id != ?2 AND started_at BETWEEN ?3 AND ?4 GROUP BY hcp_id",
    )?;
    let mut counts = stmt
        .query_map(
            params![rep, hcp, start.saturating_sub(half), start.saturating_add(half)],
            |r| r.get::<_, u32>(0),
        )?
        .collect::<Result<Vec<u32>, _>>()?;
    counts.sort_unstable();
    Ok(counts.get(counts.len() * 3 / 4).copied().unwrap_or(0))
}

/// Durations of the rep's visits on other local days than `start`'s, the nearest in time first, at most
/// `duration_baseline_window`: the rep's own habit of rounding, against which a run of equal durations is judged.
pub(super) fn baseline_durations(
    conn: &Connection,
    rep: &str,
    start: DateTime<FixedOffset>,
    zone: chrono_tz::Tz,
    rules: &RuleSettings,
) -> Result<Vec<u32>, StoreError> {
    let s = start.timestamp_millis();
    // The rep's local day of the visit (23 or 25 hours long on a daylight-saving change).
    let day = crate::local_time::local_day(&start, zone);
    let day_start = crate::local_time::day_start(day, zone).timestamp_millis();
    let day_end = day.succ_opt().map_or(day_start + DAY_MS, |next| {
        crate::local_time::day_start(next, zone).timestamp_millis()
    });
    let limit = rules.duration_baseline_window;
    let read = |sql: &str, bound: i64| -> Result<Vec<(i64, u32)>, StoreError> {
        Ok(conn
            .prepare_cached(sql)?
            .query_map(params![rep, bound, limit], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?)
    };
    let before = read(
        "SELECT started_at, duration_min FROM visits WHERE rep_id = ?1 AND started_at < ?2
           AND duration_min IS NOT NULL ORDER BY started_at DESC LIMIT ?3",
        day_start,
    )?;
    let after = read(
        "SELECT started_at, duration_min FROM visits WHERE rep_id = ?1 AND started_at >= ?2
           AND duration_min IS NOT NULL ORDER BY started_at LIMIT ?3",
        day_end,
    )?;
    let mut all: Vec<(i64, u32)> = before.into_iter().chain(after).collect();
    all.sort_by_key(|(t, _)| (t - s).abs());
    Ok(all.into_iter().take(limit as usize).map(|(_, d)| d).collect())
}
