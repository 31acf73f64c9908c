//! Verifying SUN taps that were judged without the card key (`pending_verification`), where the key is: the
//! server at sync, or an issuing station. The verdict replaces the event's verification and marks it unsynced.

use rusqlite::Transaction;

use super::judge::{verify_with_stored_keys, SunCheck};
use crate::{
    nfc::card::SunLink,
    store::{Store, StoreError},
};

/// What a pass over the pending taps found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct PendingSummary {
    pub verified: u32,
    pub forged: u32,
    pub replay: u32,
    /// Still pending: no key for the card here.
    pub still_pending: u32,
}

struct Pending {
    event_id: Vec<u8>,
    key_id: Option<i64>,
    uid: Option<String>,
    link: SunLink,
}

fn pending(tx: &Transaction<'_>) -> Result<Vec<Pending>, StoreError> {
    let mut stmt = tx.prepare(
        "SELECT s.event_id, s.card_id, s.picc, s.enc, s.cmac, s.mac_input, c.key_id, c.uid
         FROM sun_taps s JOIN events e ON e.id = s.event_id LEFT JOIN cards c ON c.card_id = s.card_id
         WHERE e.verification = 'pending_verification' ORDER BY e.occurred_at, e.id",
    )?;
    let rows = stmt.query_map([], |row| {
        let picc: Vec<u8> = row.get(2)?;
        let cmac: Vec<u8> = row.get(4)?;
        Ok((
            row.get(0)?,
            row.get(1)?,
            picc,
            row.get(3)?,
            cmac,
            row.get(5)?,
            row.get(6)?,
            row.get(7)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (event_id, card_id, picc, enc, cmac, mac_input, key_id, uid) = row?;
        let (Ok(picc), Ok(cmac)) = (<[u8; 16]>::try_from(picc), <[u8; 8]>::try_from(cmac)) else {
            return Err(StoreError::Inconsistent(
                "a stored SUN tap has a malformed PICCData or MAC".into(),
            ));
        };
        out.push(Pending {
            event_id,
            key_id,
            uid,
            link: SunLink {
                card_id,
                picc,
                enc,
                cmac,
                mac_input,
            },
        });
    }
    Ok(out)
}

impl Store {
    /// Verifies every pending SUN tap whose card key this store holds, oldest first (so read counters advance in
    /// order), in one transaction.
    pub fn verify_pending_taps(&self) -> Result<PendingSummary, StoreError> {
        self.write(|tx| {
            let mut summary = PendingSummary::default();
            for tap in pending(tx)? {
                let check = match tap.key_id {
                    Some(key_id) => verify_with_stored_keys(tx, &tap.link, key_id, tap.uid.as_deref())?,
                    None => SunCheck::NoKey,
                };
                let verdict = match check {
                    SunCheck::NoKey => {
                        summary.still_pending += 1;
                        continue;
                    }
                    SunCheck::Verified => {
                        summary.verified += 1;
                        "verified"
                    }
                    SunCheck::Forged(_) => {
                        summary.forged += 1;
                        "forged"
                    }
                    SunCheck::Replay => {
                        summary.replay += 1;
                        "replay"
                    }
                };
                tx.prepare_cached("UPDATE events SET verification = ?1, synced = 0 WHERE id = ?2")?
                    .execute((verdict, &tap.event_id))?;
            }
            Ok(summary)
        })
    }
}
