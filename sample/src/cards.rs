//! Cards for `mrc demo` on a seeded store: a genuine card of a current material, a card of its older version, and a
//! forged card — all as the NDEF bytes a phone would read.

use chrono::{Days, NaiveDate};
use rusqlite::OptionalExtension;

use mrc_core::nfc::{
    card::{generate_signing_key, signed_card_url, Claim},
    program::{encode_card, memory_image, CardSpec, CcAccess, Ntag},
    url::DEFAULT_ALLOWED_HOSTS,
};
use mrc_core::store::{Store, StoreError};

/// The key id the demo signs with.
pub const DEMO_KEY_ID: u8 = 200;

/// What the demo taps.
#[derive(Debug, Clone)]
pub struct DemoCards {
    pub material_id: String,
    pub current_version: u32,
    pub old_version: u32,
    /// The genuine card of the current version: its URL, NDEF bytes and NTAG213 memory image.
    pub url: String,
    pub genuine: Vec<u8>,
    pub genuine_image: Vec<u8>,
    /// A genuine card of the older version (opens the current one).
    pub superseded: Vec<u8>,
    /// The same claim signed with a key the store does not know.
    pub forged: Vec<u8>,
}

/// Why the demo cards could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the catalog has no material with a current approved version and an older one")]
    NoMaterial,
    #[error("{0}")]
    Card(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Makes the demo cards: stores a fresh demo public key, marks the current version as downloaded
/// (`demo/<id>-v<version>.pdf`) if it is not, and returns the cards.
pub fn demo_cards(store: &Store, today: NaiveDate) -> Result<DemoCards, DemoError> {
    let found: Option<(String, u32, u32)> = store.read(|conn| {
        let day = today.to_string();
        conn.query_row(
            "SELECT cur.id, cur.version, old.version FROM materials cur
             JOIN materials old ON old.id = cur.id AND old.version < cur.version
             WHERE cur.status = 'approved' AND cur.valid_from <= ?1 AND ?1 <= cur.valid_until
             ORDER BY cur.id, cur.version DESC, old.version DESC LIMIT 1",
            [&day],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()
        .map_err(StoreError::from)
    })?;
    let (material_id, current_version, old_version) = found.ok_or(DemoError::NoMaterial)?;
    store.write(|tx| {
        tx.execute(
            "UPDATE materials SET local_path = 'demo/' || id || '-v' || version || '.pdf'
             WHERE id = ?1 AND version = ?2 AND local_path IS NULL",
            (&material_id, current_version),
        )?;
        Ok::<_, StoreError>(())
    })?;
    let key = generate_signing_key().map_err(|e| DemoError::Card(e.to_string()))?;
    let forger = generate_signing_key().map_err(|e| DemoError::Card(e.to_string()))?;
    store.put_card_key(DEMO_KEY_ID, &key.verifying_key().to_bytes())?;
    let host = DEFAULT_ALLOWED_HOSTS.first().copied().unwrap_or("tap.example.jp");
    let card = |version: u32, signer: &ed25519_dalek::SigningKey| -> Result<(String, Vec<u8>), DemoError> {
        let claim = Claim {
            key_id: DEMO_KEY_ID,
            card_id: 1000 + version,
            material_id: material_id.clone(),
            material_version: u16::try_from(version).unwrap_or(u16::MAX),
            issued_on: today,
            expires_on: today.checked_add_days(Days::new(365)).unwrap_or(today),
        };
        let url = signed_card_url(host, &claim, signer).map_err(|e| DemoError::Card(e.to_string()))?;
        let spec = CardSpec {
            url: url.clone(),
            aar: None,
        };
        let programmed =
            encode_card(&spec, Ntag::Ntag213.capacity()).map_err(|e| DemoError::Card(e.to_string()))?;
        Ok((url, programmed.ndef))
    };
    let (url, genuine) = card(current_version, &key)?;
    let genuine_image = memory_image(&genuine, Ntag::Ntag213, CcAccess::ReadWrite)
        .map_err(|e| DemoError::Card(e.to_string()))?;
    Ok(DemoCards {
        superseded: card(old_version, &key)?.1,
        forged: card(current_version, &forger)?.1,
        material_id: material_id.clone(),
        current_version,
        old_version,
        url,
        genuine,
        genuine_image,
    })
}
