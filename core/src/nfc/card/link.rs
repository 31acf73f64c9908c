//! The two card URL shapes on an allow-listed host:
//! - signed NTAG21x card: `https://HOST/c/<base64url(claim ‖ signature)>`
//! - NTAG 424 DNA SUN card: `https://HOST/s/<card id>?p=<PICCData>&m=<SDMMAC>`, or with encrypted file data
//!   `…?p=<PICCData>&e=<ENCData>&m=<SDMMAC>` — the card computes the MAC over the text from the `e` value up to
//!   the `m` value (`<ENCData>&m=`), or over nothing when there is no `e`.

use super::claim::{ClaimError, SignedClaim};
use crate::nfc::{
    text_codec::{unhex, unhex_array},
    url::CardUrl,
};

/// The longest encrypted file data accepted in a SUN URL, in bytes.
pub const MAX_SUN_FILE_DATA: usize = 128;

/// A SUN URL's dynamic parts, as hex text decoded to bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SunLink {
    pub card_id: String,
    /// Encrypted PICCData (16 bytes: tag, UID, read counter, padding).
    pub picc: [u8; 16],
    /// Encrypted file data, if the card mirrors it.
    pub enc: Option<Vec<u8>>,
    /// The truncated SDMMAC.
    pub cmac: [u8; 8],
    /// The URL text the MAC covers.
    pub mac_input: String,
}

/// What a card URL points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardLink {
    Signed(SignedClaim),
    Sun(SunLink),
}

/// Why a URL on our host is not a card link.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("the URL path is not a card path (/c/… or /s/…)")]
    UnknownPath,
    #[error(transparent)]
    Claim(#[from] ClaimError),
    #[error("the SUN parameters are malformed: {0}")]
    Sun(&'static str),
}

/// Reads the card link in an allow-listed URL.
pub fn parse_link(url: &CardUrl<'_>) -> Result<CardLink, LinkError> {
    if let Some(token) = url.path.strip_prefix("/c/") {
        if url.query.is_some() {
            return Err(LinkError::UnknownPath);
        }
        return Ok(CardLink::Signed(SignedClaim::parse(token)?));
    }
    if let Some(card_id) = url.path.strip_prefix("/s/") {
        if !is_card_id(card_id) {
            return Err(LinkError::Sun(
                "the card id is not 1–32 letters, digits, '-' or '_'",
            ));
        }
        let query = url.query.ok_or(LinkError::Sun("there are no parameters"))?;
        return parse_sun(card_id, query).map(CardLink::Sun);
    }
    Err(LinkError::UnknownPath)
}

/// Card ids of SUN cards: 1–32 ASCII letters, digits, `-` and `_`.
pub fn is_card_id(id: &str) -> bool {
    (1..=32).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn parse_sun(card_id: &str, query: &str) -> Result<SunLink, LinkError> {
    let picc_hex = query
        .strip_prefix("p=")
        .ok_or(LinkError::Sun("the first parameter must be p"))?;
    let (picc_hex, rest) = picc_hex.split_once('&').ok_or(LinkError::Sun("m is missing"))?;
    let picc = unhex_array::<16>(picc_hex).ok_or(LinkError::Sun("p must be 32 hex digits"))?;
    let (enc, mac_input, cmac_hex) = if let Some(rest) = rest.strip_prefix("e=") {
        let (enc_hex, cmac_hex) = rest.split_once("&m=").ok_or(LinkError::Sun("m must follow e"))?;
        let enc = unhex(enc_hex).ok_or(LinkError::Sun("e must be hex"))?;
        if enc.is_empty() || enc.len() % 16 != 0 || enc.len() > MAX_SUN_FILE_DATA {
            return Err(LinkError::Sun("e must be 16 to 128 bytes, a multiple of 16"));
        }
        (Some(enc), format!("{enc_hex}&m="), cmac_hex)
    } else {
        let cmac_hex = rest
            .strip_prefix("m=")
            .ok_or(LinkError::Sun("the second parameter must be e or m"))?;
        (None, String::new(), cmac_hex)
    };
    let cmac = unhex_array::<8>(cmac_hex).ok_or(LinkError::Sun("m must be 16 hex digits"))?;
    Ok(SunLink {
        card_id: card_id.to_owned(),
        picc,
        enc,
        cmac,
        mac_input,
    })
}
