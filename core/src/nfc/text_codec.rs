//! Hex and base64url (no padding) for card URLs, keys and hashes: strict, canonical decoding only, through the
//! `hex` and `base64` crates.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    ::hex::encode(bytes)
}

/// Decodes hex (either case); `None` for an odd length or a non-hex character.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    ::hex::decode(text).ok()
}

/// Decodes exactly `N` bytes of hex.
pub fn unhex_array<const N: usize>(text: &str) -> Option<[u8; N]> {
    let mut out = [0u8; N];
    ::hex::decode_to_slice(text, &mut out).ok()?;
    Some(out)
}

/// base64url without padding (RFC 4648 §5).
pub fn base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes base64url without padding; refuses padding, other characters and non-canonical trailing bits (so each
/// byte string has one spelling).
pub fn unbase64url(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refusals() {
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(unbase64url(&base64url(&bytes)).unwrap(), bytes);
            assert_eq!(unhex(&hex(&bytes)).unwrap(), bytes);
        }
        assert_eq!(base64url(b"\xfb\xff"), "-_8");
        assert!(unbase64url("-_9").is_none(), "non-canonical trailing bits");
        assert!(unbase64url("abc=").is_none());
        assert!(unbase64url("a").is_none());
        assert!(unbase64url("資材").is_none());
        assert!(unhex("abc").is_none());
        assert!(unhex("zz").is_none());
        assert_eq!(unhex_array::<2>("ABcd"), Some([0xab, 0xcd]));
        assert_eq!(unhex_array::<2>("abcdef"), None, "exactly N bytes");
    }
}
