//! Resolving a card's material against the local catalog: the card's version if it is the current approved one,
//! otherwise the current approved version, otherwise why nothing may be shown.

use chrono::NaiveDate;
use rusqlite::Connection;

use super::outcome::{Reason, TapOutcome};
use crate::store::StoreError;

/// One stored version of a material.
struct Row {
    version: u32,
    title: String,
    approved: bool,
    valid_from: Option<NaiveDate>,
    valid_until: Option<NaiveDate>,
    local_path: Option<String>,
}

impl Row {
    fn is_current(&self, today: NaiveDate) -> bool {
        self.approved
            && self.valid_from.is_some_and(|from| from <= today)
            && self.valid_until.is_some_and(|until| today <= until)
    }
}

fn rows(conn: &Connection, material: &str) -> Result<Vec<Row>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT version, title, status, valid_from, valid_until, local_path FROM materials
         WHERE id = ?1 ORDER BY version DESC",
    )?;
    let rows = stmt.query_map([material], |row| {
        let date =
            |i: usize| -> rusqlite::Result<Option<NaiveDate>> { Ok(row.get::<_, String>(i)?.parse().ok()) };
        Ok(Row {
            version: row.get(0)?,
            title: row.get(1)?,
            approved: row.get::<_, String>(2)? == "approved",
            valid_from: date(3)?,
            valid_until: date(4)?,
            local_path: row.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The outcome for a genuine card pointing at `material` version `card_version`, on local day `today`.
pub(crate) fn resolve(
    conn: &Connection,
    material: &str,
    card_version: u32,
    today: NaiveDate,
    fallback_url: &str,
) -> Result<(TapOutcome, u32), StoreError> {
    let rows = rows(conn, material)?;
    let not_cached = |version: u32| TapOutcome::NotCached {
        material: material.to_owned(),
        version,
        fallback_url: fallback_url.to_owned(),
    };
    if let Some(current) = rows.iter().find(|r| r.is_current(today)) {
        let Some(local_path) = current.local_path.clone() else {
            return Ok((not_cached(current.version), current.version));
        };
        let outcome = if current.version == card_version {
            TapOutcome::Open {
                material: material.to_owned(),
                version: current.version,
                title: current.title.clone(),
                local_path,
            }
        } else {
            TapOutcome::Superseded {
                material: material.to_owned(),
                card_version,
                current_version: current.version,
                title: current.title.clone(),
                local_path,
            }
        };
        return Ok((outcome, current.version));
    }
    if rows.is_empty() {
        // Not in the local catalog (master data not synced yet): the server decides online.
        return Ok((not_cached(card_version), card_version));
    }
    let withdrawn = match rows.iter().find(|r| r.version == card_version) {
        Some(row) => !row.approved,
        None => rows.iter().any(|r| !r.approved),
    };
    let outcome = if withdrawn {
        TapOutcome::Withdrawn {
            material: material.to_owned(),
            version: card_version,
            reason: Reason::MaterialWithdrawn,
        }
    } else {
        TapOutcome::Expired {
            material: material.to_owned(),
            version: card_version,
            reason: Reason::MaterialExpired,
        }
    };
    Ok((outcome, card_version))
}
