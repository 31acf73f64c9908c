//! Judging a tap inside the write transaction: decode, check the URL, verify the card, resolve the material.

use chrono::NaiveDate;
use ed25519_dalek::VerifyingKey;
use rusqlite::{OptionalExtension, Transaction};

use super::{
    outcome::{Reason, TapOutcome, Verification},
    resolve::resolve,
};
use crate::{
    nfc::{
        card::{parse_link, CardLink, LinkError, SignedClaim, SunLink},
        ndef::{DecodedRecord, NdefError},
        sun::{decrypt_picc, diversify, verify_sun, SunKeys, SunMessage},
        url::{UrlError, UrlPolicy, ALLOWED_HOSTS_SETTING},
    },
    store::StoreError,
};

/// Everything the event row and the caller need.
pub(crate) struct Judged {
    pub card_id: Option<String>,
    pub verification: Verification,
    pub outcome: TapOutcome,
    /// The material and the version the event is about.
    pub material: Option<(String, u32)>,
    /// The SUN parameters to keep with the event.
    pub sun: Option<SunLink>,
}

impl Judged {
    fn refused(verification: Verification, outcome: TapOutcome) -> Judged {
        Judged {
            card_id: None,
            verification,
            outcome,
            material: None,
            sun: None,
        }
    }
}

fn unknown(reason: Reason) -> Judged {
    Judged::refused(Verification::Unknown, TapOutcome::UnknownCard { reason })
}

fn forged(card_id: Option<String>, reason: Reason) -> Judged {
    Judged {
        card_id,
        ..Judged::refused(Verification::Forged, TapOutcome::Forged { reason })
    }
}

/// The URL policy from the settings (comma-separated hosts), or the default.
pub(crate) fn policy(tx: &Transaction<'_>) -> Result<UrlPolicy, StoreError> {
    let value: Option<String> = tx
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([ALLOWED_HOSTS_SETTING], |row| row.get(0))
        .optional()?;
    Ok(value.map(|v| UrlPolicy::from_setting(&v)).unwrap_or_default())
}

pub(crate) fn judge(
    tx: &Transaction<'_>,
    decoded: Result<Vec<DecodedRecord>, NdefError>,
    today: NaiveDate,
) -> Result<Judged, StoreError> {
    let Ok(records) = decoded else {
        return Ok(unknown(Reason::Unreadable));
    };
    let Some(url) = records.iter().find_map(DecodedRecord::uri) else {
        return Ok(unknown(Reason::NoUrl));
    };
    let policy = policy(tx)?;
    let checked = match policy.check(url) {
        Ok(checked) => checked,
        Err(UrlError::UnsafeCharacters) => return Ok(unknown(Reason::UnsafeUrl)),
        Err(_) => return Ok(unknown(Reason::ForeignUrl)),
    };
    match parse_link(&checked) {
        Err(LinkError::UnknownPath) => Ok(unknown(Reason::NotACardPath)),
        Err(LinkError::Claim(_) | LinkError::Sun(_)) => Ok(forged(None, Reason::MalformedCard)),
        Ok(CardLink::Signed(signed)) => judge_signed(tx, &signed, today, url),
        Ok(CardLink::Sun(sun)) => judge_sun(tx, sun, today, url),
    }
}

fn judge_signed(
    tx: &Transaction<'_>,
    signed: &SignedClaim,
    today: NaiveDate,
    url: &str,
) -> Result<Judged, StoreError> {
    let claim = &signed.claim;
    let card_id = claim.card_id.to_string();
    let key: Option<Vec<u8>> = tx
        .prepare_cached("SELECT public_key FROM card_keys WHERE key_id = ?1")?
        .query_row([claim.key_id], |row| row.get(0))
        .optional()?;
    let key = key
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .and_then(|bytes| VerifyingKey::from_bytes(&bytes).ok());
    let Some(key) = key else {
        return Ok(Judged {
            card_id: Some(card_id),
            ..unknown(Reason::UnknownKey)
        });
    };
    if signed.verify(&key).is_err() {
        return Ok(forged(Some(card_id), Reason::BadSignature));
    }
    genuine(
        tx,
        card_id,
        Verification::Verified,
        (&claim.material_id, u32::from(claim.material_version)),
        claim.expires_on,
        today,
        url,
        None,
    )
}

/// A SUN card from the registry.
struct SunCard {
    material_id: String,
    material_version: u32,
    key_id: i64,
    expires_on: Option<NaiveDate>,
    uid: Option<String>,
}

fn judge_sun(tx: &Transaction<'_>, sun: SunLink, today: NaiveDate, url: &str) -> Result<Judged, StoreError> {
    let card: Option<SunCard> = tx
        .prepare_cached(
            "SELECT material_id, material_version, key_id, expires_on, uid FROM cards
             WHERE card_id = ?1 AND kind = 'sun'",
        )?
        .query_row([&sun.card_id], |row| {
            Ok(SunCard {
                material_id: row.get(0)?,
                material_version: row.get(1)?,
                key_id: row.get(2)?,
                expires_on: row.get::<_, String>(3)?.parse().ok(),
                uid: row.get(4)?,
            })
        })
        .optional()?;
    let card_id = sun.card_id.clone();
    let Some(card) = card else {
        return Ok(Judged {
            card_id: Some(card_id),
            ..unknown(Reason::UnknownCard)
        });
    };
    let with_sun = |judged: Judged| Judged {
        sun: Some(sun.clone()),
        ..judged
    };
    let replay = |reason| Judged {
        card_id: Some(card_id.clone()),
        verification: Verification::Replay,
        outcome: TapOutcome::Replay {
            card_id: card_id.clone(),
            reason,
        },
        material: Some((card.material_id.clone(), card.material_version)),
        sun: None,
    };
    let seen: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM sun_taps WHERE card_id = ?1 AND picc = ?2)")?
        .query_row((&sun.card_id, sun.picc.as_slice()), |row| row.get(0))?;
    if seen {
        return Ok(with_sun(replay(Reason::SeenBefore)));
    }
    let verification = match verify_with_stored_keys(tx, &sun, card.key_id, card.uid.as_deref())? {
        SunCheck::NoKey => Verification::PendingVerification,
        SunCheck::Forged(reason) => return Ok(with_sun(forged(Some(card_id), reason))),
        SunCheck::Replay => return Ok(with_sun(replay(Reason::CounterNotIncreased))),
        SunCheck::Verified => Verification::Verified,
    };
    let expires_on = card.expires_on.unwrap_or(NaiveDate::MIN);
    let material = (card.material_id.as_str(), card.material_version);
    genuine(
        tx,
        card_id.clone(),
        verification,
        material,
        expires_on,
        today,
        url,
        Some(sun),
    )
}

/// What the stored SUN keys say about a SUN tap.
pub(crate) enum SunCheck {
    NoKey,
    Verified,
    Forged(Reason),
    Replay,
}

/// Verifies a SUN tap with the keys in `sun_keys` (if this store has them) and moves the card's counter on.
pub(crate) fn verify_with_stored_keys(
    tx: &Transaction<'_>,
    sun: &SunLink,
    key_id: i64,
    expected_uid: Option<&str>,
) -> Result<SunCheck, StoreError> {
    let keys: Option<(Vec<u8>, Vec<u8>)> = tx
        .prepare_cached("SELECT meta_read_key, file_read_master FROM sun_keys WHERE key_id = ?1")?
        .query_row([key_id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let Some((meta, master)) = keys else {
        return Ok(SunCheck::NoKey);
    };
    let (Ok(meta), Ok(master)) = (<[u8; 16]>::try_from(meta), <[u8; 16]>::try_from(master)) else {
        return Err(StoreError::Inconsistent("a SUN key is not 16 bytes".into()));
    };
    let Ok((uid, _)) = decrypt_picc(&meta, &sun.picc) else {
        return Ok(SunCheck::Forged(Reason::BadSunMac));
    };
    let keys = SunKeys {
        meta_read: meta,
        file_read: diversify(&master, &uid),
    };
    let message = SunMessage {
        picc: &sun.picc,
        enc: sun.enc.as_deref(),
        cmac: &sun.cmac,
        mac_input: sun.mac_input.as_bytes(),
    };
    let Ok(verified) = verify_sun(&keys, &message) else {
        return Ok(SunCheck::Forged(Reason::BadSunMac));
    };
    if expected_uid.is_some_and(|expected| !expected.eq_ignore_ascii_case(&verified.uid)) {
        return Ok(SunCheck::Forged(Reason::WrongCard));
    }
    let last: Option<i64> = tx
        .prepare_cached("SELECT last_counter FROM card_counters WHERE card_id = ?1")?
        .query_row([&sun.card_id], |row| row.get(0))
        .optional()?;
    if last.is_some_and(|last| i64::from(verified.counter) <= last) {
        return Ok(SunCheck::Replay);
    }
    tx.prepare_cached(
        "INSERT INTO card_counters (card_id, last_counter) VALUES (?1, ?2)
         ON CONFLICT (card_id) DO UPDATE SET last_counter = excluded.last_counter",
    )?
    .execute((&sun.card_id, verified.counter))?;
    Ok(SunCheck::Verified)
}

/// A genuine (or pending) card: check its own expiry, then resolve its material.
#[allow(clippy::too_many_arguments)]
fn genuine(
    tx: &Transaction<'_>,
    card_id: String,
    verification: Verification,
    (material, version): (&str, u32),
    expires_on: NaiveDate,
    today: NaiveDate,
    url: &str,
    sun: Option<SunLink>,
) -> Result<Judged, StoreError> {
    let (outcome, event_version) = if expires_on < today {
        let outcome = TapOutcome::Expired {
            material: material.to_owned(),
            version,
            reason: Reason::CardExpired,
        };
        (outcome, version)
    } else {
        resolve(tx, material, version, today, url)?
    };
    Ok(Judged {
        card_id: Some(card_id),
        verification,
        outcome,
        material: Some((material.to_owned(), event_version)),
        sun,
    })
}
