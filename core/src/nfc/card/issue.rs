//! Issuing cards: signing keys, the URL of a signed card, the URL template of a SUN card.

use ed25519_dalek::SigningKey;

use super::claim::{Claim, ClaimError};

/// Why a signing key could not be made or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("the system random number generator failed")]
    Random,
    #[error("a key must be {0} hex digits")]
    Format(usize),
}

/// A new random Ed25519 signing key.
pub fn generate_signing_key() -> Result<SigningKey, KeyError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|_| KeyError::Random)?;
    Ok(SigningKey::from_bytes(&seed))
}

/// Reads a signing key from its 32-byte seed in hex.
pub fn signing_key_from_hex(text: &str) -> Result<SigningKey, KeyError> {
    crate::nfc::text_codec::unhex_array::<32>(text.trim())
        .map(|seed| SigningKey::from_bytes(&seed))
        .ok_or(KeyError::Format(64))
}

/// The URL a signed card carries: `https://HOST/c/<token>`.
pub fn signed_card_url(host: &str, claim: &Claim, key: &SigningKey) -> Result<String, ClaimError> {
    Ok(format!("https://{host}/c/{}", claim.sign(key)?))
}

/// The URL template a SUN card is configured with (zeros where the card mirrors PICCData, file data and MAC):
/// the offsets for the NTAG 424 DNA SDM settings are those of the zero runs.
pub fn sun_card_url_template(host: &str, card_id: &str, file_data_blocks: usize) -> String {
    let picc = "0".repeat(32);
    let mac = "0".repeat(16);
    if file_data_blocks == 0 {
        format!("https://{host}/s/{card_id}?p={picc}&m={mac}")
    } else {
        format!(
            "https://{host}/s/{card_id}?p={picc}&e={}&m={mac}",
            "0".repeat(32 * file_data_blocks)
        )
    }
}
