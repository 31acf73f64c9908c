//! Tap engagement events: the row written with each tap, and the reads the validator uses.

use rusqlite::{Connection, Transaction};

use super::{judge::Judged, outcome::Verification};
use crate::{ids::VisitId, store::StoreError};

/// The `events.kind` of a tap.
pub const TAP_KIND: &str = "nfc_tap";

/// A stored tap event.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TapEvent {
    /// The event id (UUIDv7).
    pub id: String,
    /// Device time of the tap, ms since the Unix epoch.
    pub occurred_at: i64,
    pub card_id: Option<String>,
    pub material_id: Option<String>,
    pub material_version: Option<u32>,
    pub verification: Verification,
    pub visit_id: Option<VisitId>,
}

/// Writes the event of a judged tap and, for a SUN card, its parameters; returns the event id.
pub(crate) fn insert(
    tx: &Transaction<'_>,
    judged: &Judged,
    occurred_at: i64,
    visit: Option<VisitId>,
) -> Result<uuid::Uuid, StoreError> {
    let id = uuid::Uuid::now_v7();
    // A visit id the store does not know is dropped rather than failing the tap: the material must open.
    let visit = match visit {
        Some(v) => {
            let known: bool = tx
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM visits WHERE id = ?1)")?
                .query_row([v.as_bytes().as_slice()], |row| row.get(0))?;
            known.then_some(v)
        }
        None => None,
    };
    tx.prepare_cached(
        "INSERT INTO events (id, kind, occurred_at, card_id, material_id, material_version, verification, visit_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute((
        id.as_bytes().as_slice(),
        TAP_KIND,
        occurred_at,
        &judged.card_id,
        judged.material.as_ref().map(|(m, _)| m),
        judged.material.as_ref().map(|(_, v)| *v),
        judged.verification.as_str(),
        visit.as_ref().map(|v| v.as_bytes().as_slice()),
    ))?;
    if let Some(sun) = &judged.sun {
        tx.prepare_cached(
            "INSERT INTO sun_taps (event_id, card_id, picc, enc, cmac, mac_input) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute((
            id.as_bytes().as_slice(),
            &sun.card_id,
            sun.picc.as_slice(),
            sun.enc.as_deref(),
            sun.cmac.as_slice(),
            &sun.mac_input,
        ))?;
    }
    Ok(id)
}

const SELECT: &str = "SELECT id, occurred_at, card_id, material_id, material_version, verification, visit_id
                      FROM events";

fn read_rows(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<TapEvent>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |row| {
        let id: Vec<u8> = row.get(0)?;
        let visit: Option<Vec<u8>> = row.get(6)?;
        Ok(TapEvent {
            id: uuid::Uuid::from_slice(&id)
                .map(|u| u.to_string())
                .unwrap_or_default(),
            occurred_at: row.get(1)?,
            card_id: row.get(2)?,
            material_id: row.get(3)?,
            material_version: row.get(4)?,
            verification: Verification::parse_or_unknown(&row.get::<_, String>(5)?),
            visit_id: visit.and_then(|bytes| VisitId::from_slice(&bytes).ok()),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

impl crate::store::Store {
    /// Tap events with `from_ms <= occurred_at < to_ms`, oldest first (every verification result; use
    /// [`Verification::is_evidence`] for "the material was really shown").
    pub fn tap_events_between(&self, from_ms: i64, to_ms: i64) -> Result<Vec<TapEvent>, StoreError> {
        self.read(|conn| {
            read_rows(
                conn,
                &format!(
                    "{SELECT} WHERE kind = '{TAP_KIND}' AND occurred_at >= ?1 AND occurred_at < ?2
                     ORDER BY occurred_at, id"
                ),
                (from_ms, to_ms),
            )
        })
    }

    /// Tap events recorded during a visit, oldest first.
    pub fn tap_events_of_visit(&self, visit: VisitId) -> Result<Vec<TapEvent>, StoreError> {
        self.read(|conn| {
            read_rows(
                conn,
                &format!("{SELECT} WHERE visit_id = ?1 AND kind = '{TAP_KIND}' ORDER BY occurred_at, id"),
                [visit.as_bytes().as_slice()],
            )
        })
    }
}
