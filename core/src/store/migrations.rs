//! Numbered schema migrations, applied in order, each in its own transaction.
//!
//! The schema version lives in `PRAGMA user_version`. A migration is never edited once released: a change is a new
//! entry at the end of [`MIGRATIONS`].

use rusqlite::Connection;

use super::StoreError;

/// Migration `n` (1-based) is `MIGRATIONS[n - 1]`.
pub const MIGRATIONS: &[&str] = &[
    include_str!("sql/0001_initial.sql"),
    include_str!("sql/0002_validation.sql"),
    include_str!("sql/0003_nfc.sql"),
    include_str!("sql/0004_sync.sql"),
    include_str!("sql/0005_entry_server_time.sql"),
    include_str!("sql/0006_rep_time_zone.sql"),
    include_str!("sql/0007_finding_strengths.sql"),
    include_str!("sql/0008_insights.sql"),
];

/// The schema version a fully migrated database has.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings the database up to [`latest_version`], refusing one written by a newer build.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if found > latest_version() {
        return Err(StoreError::TooNew {
            found,
            supported: latest_version(),
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
