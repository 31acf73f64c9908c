//! Signed values for cookies and links: `base64url(payload).base64url(HMAC-SHA256(secret, payload)[..16])`.
//!
//! A view link, the head-office session and the HCP answer are signed so that several server processes sharing
//! one tap desk file accept each other's values and no one can forge them; the payload is never secret.

use hmac::{digest::KeyInit, Hmac, Mac};
use mrc_core::nfc::text_codec::{base64url, unbase64url};
use sha2::Sha256;

/// The secret's length: one SHA-256 block, HMAC's own key size.
pub const SECRET_BYTES: usize = 64;

/// How many bytes of the MAC are kept (128 bits).
const MAC_BYTES: usize = 16;

/// Signs and verifies with one server secret.
#[derive(Clone)]
pub struct Signer {
    secret: [u8; SECRET_BYTES],
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer(…)")
    }
}

impl Signer {
    /// A signer with `secret`.
    pub fn new(secret: [u8; SECRET_BYTES]) -> Signer {
        Signer { secret }
    }

    fn mac(&self, payload: &[u8]) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new(&self.secret.into());
        mac.update(payload);
        mac
    }

    /// The signed text of `payload`.
    pub fn sign(&self, payload: &[u8]) -> String {
        let tag = self.mac(payload).finalize().into_bytes();
        format!("{}.{}", base64url(payload), base64url(&tag[..MAC_BYTES]))
    }

    /// The payload of a text [`Signer::sign`] made with this secret; `None` for anything else.
    pub fn verify(&self, text: &str) -> Option<Vec<u8>> {
        let (payload, tag) = text.split_once('.')?;
        let payload = unbase64url(payload)?;
        let tag = unbase64url(tag)?;
        if tag.len() != MAC_BYTES {
            return None;
        }
        self.mac(&payload).verify_truncated_left(&tag).ok()?;
        Some(payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_any_change() {
        let signer = Signer::new([7; SECRET_BYTES]);
        let text = signer.sign("資材 M-1".as_bytes());
        assert_eq!(signer.verify(&text).unwrap(), "資材 M-1".as_bytes());
        assert_eq!(Signer::new([8; SECRET_BYTES]).verify(&text), None);
        let (payload, tag) = text.split_once('.').unwrap();
        let other = format!("{}.{tag}", base64url("資材 M-2".as_bytes()));
        assert_eq!(signer.verify(&other), None);
        assert_eq!(signer.verify(payload), None);
        assert_eq!(signer.verify(&format!("{payload}.")), None);
        assert_eq!(signer.verify("not signed"), None);
    }
}
