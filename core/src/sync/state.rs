//! The device's sync state: cursor and versions in settings, the server's heads per visit, unsent events.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::wire::{Hash, ServerMark, WireEvent};
use crate::{ids::VisitId, store::StoreError};

pub const CURSOR_KEY: &str = "sync.cursor";
pub const MASTER_VERSION_KEY: &str = "sync.master_version";
pub const RULES_VERSION_KEY: &str = "sync.rules_version";

/// A numeric setting (0 when absent or unreadable).
pub fn get_number(conn: &Connection, key: &str) -> Result<u64, StoreError> {
    let value: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Stores a setting.
pub fn set(tx: &Transaction<'_>, key: &str, value: &str) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute((key, value))?;
    Ok(())
}

/// Splits concatenated 32-byte hashes.
pub fn split_heads(bytes: &[u8]) -> Vec<[u8; 32]> {
    bytes
        .chunks_exact(32)
        .filter_map(|c| <[u8; 32]>::try_from(c).ok())
        .collect()
}

/// Wire hashes to raw arrays.
pub fn raw(heads: &[Hash]) -> Vec<[u8; 32]> {
    heads.iter().map(|h| h.into_array()).collect()
}

/// Raw arrays to wire hashes.
pub fn wire(heads: &[[u8; 32]]) -> Vec<Hash> {
    heads.iter().map(|h| Hash::new(*h)).collect()
}

/// A visit with local changes and the heads the server had (empty if never synced).
pub type Changed = (VisitId, Vec<[u8; 32]>);

/// The visits with local changes, at most `limit`.
pub fn changed_visits(conn: &Connection, limit: usize) -> Result<Vec<Changed>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT v.id, s.server_heads FROM visits v LEFT JOIN visit_sync s ON s.visit_id = v.id
         WHERE s.server_heads IS NULL OR s.server_heads != v.heads ORDER BY v.id LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit as i64], |r| {
        Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, Option<Vec<u8>>>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, heads) = row?;
        let id = VisitId::from_slice(&id).map_err(|e| StoreError::Inconsistent(e.to_string()))?;
        out.push((id, heads.as_deref().map(split_heads).unwrap_or_default()));
    }
    Ok(out)
}

/// A visit's local heads and the server heads last agreed on (both as concatenated hashes).
pub type HeadsPair = (Vec<u8>, Option<Vec<u8>>);

/// The local heads and the last agreed server heads of a visit, if it is here.
pub fn visit_heads(conn: &Connection, id: VisitId) -> Result<Option<HeadsPair>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT v.heads, s.server_heads FROM visits v LEFT JOIN visit_sync s ON s.visit_id = v.id WHERE v.id = ?1",
        )?
        .query_row([id.as_bytes().as_slice()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Records the heads both sides now agree on.
pub fn agree(tx: &Transaction<'_>, id: VisitId, server_heads: &[[u8; 32]]) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO visit_sync (visit_id, server_heads) VALUES (?1, ?2)
         ON CONFLICT (visit_id) DO UPDATE SET server_heads = excluded.server_heads",
    )?
    .execute(params![id.as_bytes().as_slice(), server_heads.concat()])?;
    Ok(())
}

/// Forgets the agreement, so the next push sends the whole document.
pub fn forget(tx: &Transaction<'_>, id: VisitId) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM visit_sync WHERE visit_id = ?1")?
        .execute([id.as_bytes().as_slice()])?;
    Ok(())
}

/// Events the server has not acknowledged, oldest first.
pub fn unsent_events(conn: &Connection, limit: usize) -> Result<Vec<WireEvent>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, occurred_at, card_id, material_id, material_version, verification, visit_id
         FROM events WHERE synced = 0 ORDER BY occurred_at, id LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit as i64], |r| {
        let id: Vec<u8> = r.get(0)?;
        Ok(WireEvent {
            id: <[u8; 16]>::try_from(id.as_slice()).unwrap_or([0; 16]),
            kind: r.get(1)?,
            occurred_at_ms: r.get(2)?,
            card_id: r.get(3)?,
            material_id: r.get(4)?,
            material_version: r.get(5)?,
            verification: r.get(6)?,
            visit_id: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Marks events as acknowledged by the server.
pub fn mark_sent(tx: &Transaction<'_>, events: &[WireEvent]) -> Result<(), StoreError> {
    let mut stmt = tx.prepare_cached("UPDATE events SET synced = 1 WHERE id = ?1")?;
    for e in events {
        stmt.execute([e.id.as_slice()])?;
    }
    Ok(())
}

/// The settings key of the server's identity and history head from its last answer.
pub const SERVER_MARK_KEY: &str = "sync.server_mark";

/// The server's identity and history head as last answered (`None` before the first answer that carried one).
pub fn server_mark(conn: &Connection) -> Result<Option<ServerMark>, StoreError> {
    let value: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([SERVER_MARK_KEY], |r| r.get(0))
        .optional()?;
    Ok(value.as_deref().and_then(parse_mark))
}

/// Stores the server's identity and history head.
pub fn set_server_mark(tx: &Transaction<'_>, mark: &ServerMark) -> Result<(), StoreError> {
    set(tx, SERVER_MARK_KEY, &mark_text(mark))
}

/// A mark as text: `identity:seq:chain`, hex.
pub fn mark_text(mark: &ServerMark) -> String {
    format!("{}:{}", hex::encode(mark.id), head_text(mark))
}

/// The history head of a mark as text: `seq:chain`, the chain in hex.
pub fn head_text(mark: &ServerMark) -> String {
    format!("{}:{}", mark.seq, hex::encode(mark.chain.as_slice()))
}

/// Reads [`mark_text`]; anything else (a damaged setting) counts as no mark, which only costs a reconcile.
fn parse_mark(text: &str) -> Option<ServerMark> {
    let mut parts = text.split(':');
    let id = <[u8; 16]>::try_from(hex::decode(parts.next()?).ok()?).ok()?;
    let seq = parts.next()?.parse().ok()?;
    let chain = <[u8; 32]>::try_from(hex::decode(parts.next()?).ok()?).ok()?;
    parts.next().is_none().then(|| ServerMark {
        id,
        seq,
        chain: Hash::new(chain),
    })
}

/// A local visit: its id, its rep and its heads (concatenated).
pub type LocalVisit = (VisitId, Option<String>, Vec<u8>);

/// Every local visit.
pub fn all_visits(conn: &Connection) -> Result<Vec<LocalVisit>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT id, rep_id, heads FROM visits ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, Vec<u8>>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, Vec<u8>>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, rep, heads) = row?;
        let id = VisitId::from_slice(&id).map_err(|e| StoreError::Inconsistent(e.to_string()))?;
        out.push((id, rep, heads));
    }
    Ok(out)
}

/// Marks every event as not acknowledged, so they are sent again (the server keeps one of each id).
pub fn unsend_all_events(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.prepare_cached("UPDATE events SET synced = 0 WHERE synced != 0")?
        .execute([])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_mark_reads_back_and_a_damaged_one_counts_as_none() {
        let mark = ServerMark {
            id: [0xa5; 16],
            seq: 1_429,
            chain: Hash::new([0x3c; 32]),
        };
        let text = mark_text(&mark);
        assert_eq!(parse_mark(&text), Some(mark.clone()));
        assert_eq!(head_text(&mark), format!("1429:{}", "3c".repeat(32)));
        for damaged in [
            "",
            "a5a5:1429",
            &format!("{text}:extra"),
            &text.replace("1429", "一四二九"),
            &text[2..],
        ] {
            assert_eq!(parse_mark(damaged), None, "{damaged:?}");
        }
    }
}
