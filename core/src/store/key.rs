//! The key of an encrypted store: 32 random bytes the app keeps in the Android Keystore or the iOS Keychain.
//!
//! The key is handed to SQLCipher as a raw key (`x'…'`), so opening a connection costs no key derivation; it is
//! never printed (`Debug` shows `StoreKey(…)`) and its bytes are zeroed when it is dropped.

use zeroize::{Zeroize, Zeroizing};

use super::StoreError;

/// A 32-byte store key.
#[derive(Clone, PartialEq, Eq)]
pub struct StoreKey([u8; StoreKey::LEN]);

impl StoreKey {
    /// The length of a key in bytes.
    pub const LEN: usize = 32;

    /// A key from exactly [`StoreKey::LEN`] bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<StoreKey, StoreError> {
        let array: [u8; StoreKey::LEN] = bytes.try_into().map_err(|_| {
            StoreError::InvalidKey(format!(
                "a store key has {} bytes, not {}",
                StoreKey::LEN,
                bytes.len()
            ))
        })?;
        Ok(StoreKey(array))
    }

    /// A key from its 64 hexadecimal digits (surrounding whitespace ignored): the form of `MRC_DB_KEY` and of a
    /// key file.
    pub fn from_hex(text: &str) -> Result<StoreKey, StoreError> {
        let digits = text.trim().as_bytes();
        if digits.len() != StoreKey::LEN * 2 {
            return Err(StoreError::InvalidKey(format!(
                "a store key is {} hexadecimal digits, not {}",
                StoreKey::LEN * 2,
                digits.len()
            )));
        }
        let mut bytes = Zeroizing::new([0u8; StoreKey::LEN]);
        hex::decode_to_slice(digits, bytes.as_mut_slice()).map_err(|_| {
            StoreError::InvalidKey("a store key is written in hexadecimal digits (0-9, a-f)".into())
        })?;
        StoreKey::from_bytes(bytes.as_slice())
    }

    /// A new random key (for tests, the CLI's `--new-key` helpers and first runs of an app without a key yet).
    pub fn generate() -> Result<StoreKey, StoreError> {
        let mut bytes = Zeroizing::new([0u8; StoreKey::LEN]);
        getrandom::fill(bytes.as_mut_slice())
            .map_err(|err| StoreError::InvalidKey(format!("no randomness for a new key: {err}")))?;
        StoreKey::from_bytes(bytes.as_slice())
    }

    /// The key as SQLCipher's raw-key literal, `x'<64 hex digits>'`.
    pub(crate) fn raw_key_literal(&self) -> Zeroizing<String> {
        let mut digits = Zeroizing::new([0u8; StoreKey::LEN * 2]);
        // The buffer is exactly twice the key: encoding cannot fail.
        let _ = hex::encode_to_slice(self.0, digits.as_mut_slice());
        let mut literal = Zeroizing::new(String::with_capacity(StoreKey::LEN * 2 + 3));
        literal.push_str("x'");
        literal.extend(digits.iter().map(|d| char::from(*d)));
        literal.push('\'');
        literal
    }
}

impl std::fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoreKey(…)")
    }
}

impl Drop for StoreKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_to_the_raw_key_literal() {
        let hex = "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF";
        let key = StoreKey::from_hex(&format!("  {hex}\n")).unwrap();
        assert_eq!(
            key.raw_key_literal().as_str(),
            format!("x'{}'", hex.to_ascii_lowercase())
        );
    }

    #[test]
    fn wrong_lengths_and_digits_are_refused_without_echoing_the_key() {
        for bad in ["", "abcd", &"g".repeat(64), &"0".repeat(66)] {
            let err = StoreKey::from_hex(bad).unwrap_err();
            assert!(matches!(err, StoreError::InvalidKey(_)), "{err:?}");
            if !bad.is_empty() {
                assert!(!err.to_string().contains(bad), "{err}");
            }
        }
        assert!(StoreKey::from_bytes(&[7; 31]).is_err());
        assert!(StoreKey::from_bytes(&[7; 32]).is_ok());
    }

    #[test]
    fn debug_never_shows_the_bytes() {
        let key = StoreKey::from_bytes(&[0xab; 32]).unwrap();
        assert_eq!(format!("{key:?}"), "StoreKey(…)");
    }

    #[test]
    fn generated_keys_differ() {
        assert_ne!(StoreKey::generate().unwrap(), StoreKey::generate().unwrap());
    }
}
