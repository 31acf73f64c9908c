//! Which files the device wants: for each material, the version a tap would open today (the newest approved one
//! valid today) and every approved version that becomes valid later. Withdrawn, expired and superseded versions
//! are not wanted, so their files go once no wanted version shares them.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::store::StoreError;

/// One material version of the local catalog.
#[derive(Debug, Clone)]
struct Row {
    id: String,
    version: u32,
    approved: bool,
    valid_from: Option<NaiveDate>,
    valid_until: Option<NaiveDate>,
    sha256: String,
    size: u64,
}

/// A file the device wants, by content address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Wanted {
    pub sha256: String,
    pub size: u64,
}

/// The wanted files on local day `today`, by hash (each once), in hash order.
pub(crate) fn wanted(conn: &Connection, today: NaiveDate) -> Result<Vec<Wanted>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, version, status, valid_from, valid_until, sha256, size FROM materials ORDER BY id, version",
    )?;
    let rows = stmt.query_map([], |row| {
        let date =
            |i: usize| -> rusqlite::Result<Option<NaiveDate>> { Ok(row.get::<_, String>(i)?.parse().ok()) };
        Ok(Row {
            id: row.get(0)?,
            version: row.get(1)?,
            approved: row.get::<_, String>(2)? == "approved",
            valid_from: date(3)?,
            valid_until: date(4)?,
            sha256: row.get(5)?,
            size: u64::try_from(row.get::<_, i64>(6)?).unwrap_or(0),
        })
    })?;
    let rows: Vec<Row> = rows.collect::<Result<_, _>>()?;
    let mut by_id: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for row in &rows {
        by_id.entry(row.id.as_str()).or_default().push(row);
    }
    let mut out: BTreeMap<String, u64> = BTreeMap::new();
    for versions in by_id.values() {
        let current = versions
            .iter()
            .filter(|r| r.approved && r.valid_from.is_some_and(|f| f <= today))
            .filter(|r| r.valid_until.is_some_and(|u| today <= u))
            .max_by_key(|r| r.version);
        let upcoming = versions
            .iter()
            .filter(|r| r.approved && r.valid_from.is_some_and(|f| f > today));
        for row in current.into_iter().chain(upcoming) {
            if is_content_address(&row.sha256) {
                out.entry(row.sha256.clone()).or_insert(row.size);
            }
        }
    }
    Ok(out
        .into_iter()
        .map(|(sha256, size)| Wanted { sha256, size })
        .collect())
}

/// 64 lower-case hex digits: safe as a file name, and the only names the content directory manages.
pub(crate) fn is_content_address(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}
