//! Content addresses: a SHA-256 as 32 bytes and as 64 lower-case hex digits, and bytes verified against one.

use std::fmt;

use sha2::{Digest, Sha256};

use super::ContentError;

/// The SHA-256 of a content file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentHash(pub [u8; 32]);

impl ContentHash {
    /// The hash of `bytes`.
    pub fn of(bytes: &[u8]) -> ContentHash {
        ContentHash(Sha256::digest(bytes).into())
    }

    /// Reads 64 lower-case hex digits (the form of the master data's `sha256` and of the URL); None otherwise.
    pub fn parse(text: &str) -> Option<ContentHash> {
        if text.bytes().any(|b| b.is_ascii_uppercase()) {
            return None;
        }
        let mut out = [0u8; 32];
        hex::decode_to_slice(text, &mut out).ok()?;
        Some(ContentHash(out))
    }

    /// The 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

/// Bytes whose SHA-256 has been computed here: a store never holds content under another file's hash.
#[derive(Debug, Clone)]
pub struct VerifiedContent {
    hash: ContentHash,
    bytes: Vec<u8>,
}

impl VerifiedContent {
    /// Hashes `bytes`.
    pub fn new(bytes: Vec<u8>) -> VerifiedContent {
        VerifiedContent {
            hash: ContentHash::of(&bytes),
            bytes,
        }
    }

    /// `bytes` if their SHA-256 is `expected`, else [`ContentError::HashMismatch`].
    pub fn expect(expected: ContentHash, bytes: Vec<u8>) -> Result<VerifiedContent, ContentError> {
        let content = VerifiedContent::new(bytes);
        if content.hash != expected {
            return Err(ContentError::HashMismatch {
                expected: expected.to_string(),
                actual: content.hash.to_string(),
            });
        }
        Ok(content)
    }

    pub fn hash(&self) -> ContentHash {
        self.hash
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn size(&self) -> u64 {
        self.bytes.len() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_upper_case_or_short_text() {
        let hash = ContentHash::of("添付文書".as_bytes());
        let text = hash.to_string();
        assert_eq!(ContentHash::parse(&text), Some(hash));
        assert_eq!(ContentHash::parse(&text.to_uppercase()), None);
        assert_eq!(ContentHash::parse(&text[..62]), None);
        assert_eq!(ContentHash::parse("../etc/passwd"), None);
    }

    #[test]
    fn bytes_under_another_hash_are_refused() {
        let good = ContentHash::of(b"v1");
        assert!(VerifiedContent::expect(good, b"v1".to_vec()).is_ok());
        assert!(matches!(
            VerifiedContent::expect(good, b"v2".to_vec()),
            Err(ContentError::HashMismatch { .. })
        ));
    }
}
