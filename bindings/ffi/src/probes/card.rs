//! A signed test card (probe): registers a fresh key in the store and returns the card's NDEF bytes.

use crate::{
    error::{guard, MrcError},
    MrcStore,
};

/// A signed test card for `material`/`version`, valid from 2026-01-01 to 2027-12-31: registers a fresh Ed25519
/// key (id 200) in this store and returns the card's NDEF message bytes, as a phone would read them.
#[uniffi::export]
impl MrcStore {
    pub fn issue_test_card(&self, material: String, version: u16) -> Result<Vec<u8>, MrcError> {
        use mrc_core::nfc::{card, ndef, url::DEFAULT_ALLOWED_HOSTS};
        guard(|| {
            let internal = |reason: String| MrcError::Internal { reason };
            let key = card::generate_signing_key().map_err(|e| internal(e.to_string()))?;
            let date = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
            let claim = card::Claim {
                key_id: 200,
                card_id: 4242,
                material_id: material,
                material_version: version,
                issued_on: date(2026, 1, 1),
                expires_on: date(2027, 12, 31),
            };
            let host = DEFAULT_ALLOWED_HOSTS.first().copied().unwrap_or_default();
            let url = card::signed_card_url(host, &claim, &key).map_err(|e| internal(e.to_string()))?;
            self.store.put_card_key(200, &key.verifying_key().to_bytes())?;
            ndef::encode_message(&[ndef::uri_record(&url)]).map_err(|e| internal(e.to_string()))
        })
    }
}
