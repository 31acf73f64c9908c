//! The replay: every audited visit goes through the real store, in entry order, with its taps recorded first,
//! so the store's own judgement scores it as of its entry time against what had been entered before it.

use chrono::{DateTime, Duration, Utc};
use rusqlite::Transaction;

use super::{input::AuditVisit, AuditError};
use mrc_core::{
    ids::VisitId,
    store::{Store, StoreError},
    visit::VisitFields,
};

/// Visits stored per transaction.
const BATCH: usize = 1000;

/// Prepared statements kept per connection: one judgement uses more than rusqlite's default 16, and evicting
/// them costs a fifth of the replay.
const STATEMENT_CACHE: usize = 64;

/// Page cache of the audit's connections, KiB: a quarter of a 30-rep team fits.
const CACHE_KIB: i64 = 64 * 1024;

/// Sets up one of the audit store's connections for a long replay: more cached statements and pages, and the
/// query planner's stability guarantee — without it the bundled SQLite (built with STAT4) prepares every
/// statement with an ORDER BY or a join again each time a parameter changes, a sixth of the audit's time.
pub(super) fn tune(conn: &rusqlite::Connection) -> Result<(), StoreError> {
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    Ok(())
}

/// Covering indexes for the judgement's hottest reads, in the audit's own throwaway stores only: a rep's
/// latest notes' signatures, and a rep's visits around a time. They change no answer, only how many table rows
/// each judgement visits.
const INDEXES: &str = "
    CREATE INDEX IF NOT EXISTS audit_rep_notes ON visits (rep_id, started_at, id, notes_sig);
    CREATE INDEX IF NOT EXISTS audit_rep_times ON visits
        (rep_id, started_at, id, entered_at, duration_min, channel, utc_offset_min, institution_id);";

/// When the visit was entered: as given, else when it ended (a record from a system that kept no entry time
/// is then neither late nor part of a burst).
pub fn entry_time(v: &AuditVisit) -> DateTime<Utc> {
    v.entered_at.unwrap_or_else(|| match v.fields.started_at {
        Some(start) => {
            let end = Duration::minutes(i64::from(v.fields.duration_min.unwrap_or(0)));
            start.to_utc().checked_add_signed(end).unwrap_or(start.to_utc())
        }
        None => DateTime::UNIX_EPOCH,
    })
}

/// Replays `visits` into `store`; returns their indices in replay order (entry time, then start, then line).
pub(super) fn replay(store: &Store, visits: &[AuditVisit]) -> Result<Vec<usize>, AuditError> {
    let mut order: Vec<usize> = (0..visits.len()).collect();
    order.sort_by_key(|&i| {
        let v = &visits[i];
        (entry_time(v), v.fields.started_at.map(|t| t.to_utc()), v.line)
    });
    store.write(|tx| {
        tune(tx)?;
        tx.execute_batch(INDEXES)?;
        Ok::<_, StoreError>(())
    })?;
    for chunk in order.chunks(BATCH) {
        let items: Vec<(VisitId, VisitFields, DateTime<Utc>)> = chunk
            .iter()
            .map(|&i| (visits[i].id, visits[i].fields.clone(), entry_time(&visits[i])))
            .collect();
        store.create_visits_replayed(&items, |tx, k| {
            if k == 0 {
                // Each visit's taps name it before it is stored, a few statements later in this transaction.
                tx.pragma_update(None, "defer_foreign_keys", true)?;
            }
            match chunk.get(k) {
                Some(&i) => record_taps(tx, &visits[i]),
                None => Ok(()),
            }
        })?;
    }
    Ok(order)
}

/// Stores the visit's taps as verified tap events of this visit: one per material the tap names, or else one
/// per material shown, or else one that names no material (evidence that the rep met the doctor).
fn record_taps(tx: &Transaction<'_>, v: &AuditVisit) -> Result<(), StoreError> {
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO events
             (id, kind, occurred_at, card_id, material_id, material_version, verification, visit_id)
         VALUES (?1, 'nfc_tap', ?2, 'audit', ?3, ?4, 'verified', ?5)",
    )?;
    for (t, tap) in v.taps.iter().enumerate() {
        let materials: Vec<(Option<&str>, Option<u32>)> = match &tap.material {
            Some((id, version)) => vec![(Some(id.as_str()), *version)],
            None if v.fields.materials_shown.is_empty() => vec![(None, None)],
            None => (v.fields.materials_shown.iter())
                .map(|m| (Some(m.material_id.as_str()), Some(m.version)))
                .collect(),
        };
        for (m, (material, version)) in materials.into_iter().enumerate() {
            stmt.execute(rusqlite::params![
                event_id(v.id, t, m).as_slice(),
                tap.at.timestamp_millis(),
                material,
                version,
                v.id.as_bytes().as_slice(),
            ])?;
        }
    }
    Ok(())
}

/// A deterministic event id for the `m`th material of the `t`th tap of a visit.
fn event_id(visit: VisitId, t: usize, m: usize) -> [u8; 16] {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in visit
        .as_bytes()
        .iter()
        .chain(&(t as u64).to_le_bytes())
        .chain(&(m as u64).to_le_bytes())
    {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&h.to_le_bytes());
    out[8..].copy_from_slice(&mix(h).to_le_bytes());
    out
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
