//! The signed-card claim (NTAG21x): a compact binary claim and its Ed25519 signature, carried base64url-encoded in
//! the card URL path `/c/<token>`.
//!
//! Layout (version 1, 13 bytes + material id + 64 bytes of signature):
//! `version(1) key_id(1) card_id(u32) issued(u16) expires(u16) material_version(u16) id_len(1) material_id`
//! — days counted from 2020-01-01, integers big-endian. The signature covers [`SIGNING_CONTEXT`] followed by the
//! claim bytes, so a signature made for something else never verifies as a card.

use chrono::NaiveDate;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

use crate::nfc::text_codec::{base64url, unbase64url};

/// The claim format version this build writes and reads.
pub const CLAIM_VERSION: u8 = 1;
/// Prepended to the claim bytes before signing.
pub const SIGNING_CONTEXT: &[u8] = b"mrc-card-claim-v1:";
/// The longest material id a claim carries (an NTAG213 holds about 12).
pub const MAX_MATERIAL_ID: usize = 32;
const FIXED: usize = 13;
const SIGNATURE: usize = 64;

/// What a signed card says.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Claim {
    /// The key that signed it.
    pub key_id: u8,
    pub card_id: u32,
    pub material_id: String,
    pub material_version: u16,
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
}

/// Why a card token is not a readable claim. A readable claim with a bad signature is [`ClaimError::BadSignature`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimError {
    #[error("the card token is not base64url")]
    NotBase64,
    #[error("the card claim is {0} bytes, too short")]
    TooShort(usize),
    #[error("the card claim has version {0}, this build reads version 1")]
    Version(u8),
    #[error("the card claim's material id is empty, too long or not UTF-8")]
    MaterialId,
    #[error("the card claim's length does not match its material id")]
    Length,
    #[error("a card claim date is outside 2020-01-01 … 2199-06-06")]
    Date,
    #[error("the card signature does not verify")]
    BadSignature,
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default()
}

fn day_number(date: NaiveDate) -> Result<u16, ClaimError> {
    u16::try_from((date - epoch()).num_days()).map_err(|_| ClaimError::Date)
}

impl Claim {
    /// The claim bytes (what is signed, after [`SIGNING_CONTEXT`]).
    pub fn to_bytes(&self) -> Result<Vec<u8>, ClaimError> {
        let id = self.material_id.as_bytes();
        if id.is_empty() || id.len() > MAX_MATERIAL_ID {
            return Err(ClaimError::MaterialId);
        }
        let mut out = Vec::with_capacity(FIXED + id.len());
        out.push(CLAIM_VERSION);
        out.push(self.key_id);
        out.extend_from_slice(&self.card_id.to_be_bytes());
        out.extend_from_slice(&day_number(self.issued_on)?.to_be_bytes());
        out.extend_from_slice(&day_number(self.expires_on)?.to_be_bytes());
        out.extend_from_slice(&self.material_version.to_be_bytes());
        out.push(u8::try_from(id.len()).map_err(|_| ClaimError::MaterialId)?);
        out.extend_from_slice(id);
        Ok(out)
    }

    /// Reads claim bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Claim, ClaimError> {
        let fixed: &[u8; FIXED] = bytes
            .get(..FIXED)
            .and_then(|b| b.try_into().ok())
            .ok_or(ClaimError::TooShort(bytes.len()))?;
        let [version, key_id, c0, c1, c2, c3, i0, i1, e0, e1, v0, v1, id_len] = *fixed;
        if version != CLAIM_VERSION {
            return Err(ClaimError::Version(version));
        }
        let id = bytes.get(FIXED..).unwrap_or_default();
        if id.len() != usize::from(id_len) {
            return Err(ClaimError::Length);
        }
        if id.is_empty() || id.len() > MAX_MATERIAL_ID {
            return Err(ClaimError::MaterialId);
        }
        let material_id = std::str::from_utf8(id).map_err(|_| ClaimError::MaterialId)?;
        let day = |hi, lo| epoch() + chrono::Days::new(u64::from(u16::from_be_bytes([hi, lo])));
        Ok(Claim {
            key_id,
            card_id: u32::from_be_bytes([c0, c1, c2, c3]),
            material_id: material_id.to_owned(),
            material_version: u16::from_be_bytes([v0, v1]),
            issued_on: day(i0, i1),
            expires_on: day(e0, e1),
        })
    }

    /// The URL path token: base64url of the claim bytes followed by the signature.
    pub fn sign(&self, key: &SigningKey) -> Result<String, ClaimError> {
        let mut bytes = self.to_bytes()?;
        let signature = key.sign(&signed_message(&bytes));
        bytes.extend_from_slice(&signature.to_bytes());
        Ok(base64url(&bytes))
    }
}

fn signed_message(claim: &[u8]) -> Vec<u8> {
    [SIGNING_CONTEXT, claim].concat()
}

/// A token split into its claim and signature, not yet verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedClaim {
    pub claim: Claim,
    claim_bytes: Vec<u8>,
    signature: [u8; SIGNATURE],
}

impl SignedClaim {
    /// Parses a URL token.
    pub fn parse(token: &str) -> Result<SignedClaim, ClaimError> {
        let bytes = unbase64url(token).ok_or(ClaimError::NotBase64)?;
        let split = bytes
            .len()
            .checked_sub(SIGNATURE)
            .ok_or(ClaimError::TooShort(bytes.len()))?;
        let (claim_bytes, signature) = bytes.split_at(split);
        let claim = Claim::from_bytes(claim_bytes)?;
        Ok(SignedClaim {
            claim,
            claim_bytes: claim_bytes.to_vec(),
            signature: signature
                .try_into()
                .map_err(|_| ClaimError::TooShort(bytes.len()))?,
        })
    }

    /// Verifies the signature with the public key of the claim's key id (strict Ed25519: no malleable signatures,
    /// no small-order keys).
    pub fn verify(&self, key: &VerifyingKey) -> Result<(), ClaimError> {
        let signature = Signature::from_bytes(&self.signature);
        key.verify_strict(&signed_message(&self.claim_bytes), &signature)
            .map_err(|_| ClaimError::BadSignature)
    }
}
