//! NTAG 424 DNA SUN (Secure Unique NFC) verification per NXP AN12196: decrypt PICCData, derive the session keys,
//! compare the truncated SDMMAC in constant time, decrypt the optional file data.

mod crypto;

use subtle::ConstantTimeEq;

pub use crypto::{diversify, sdm_mac, session_enc_key, session_mac_key, Key, SYSTEM_IDENTIFIER};

/// The keys one SUN card is verified with.
#[derive(Clone, PartialEq, Eq)]
pub struct SunKeys {
    /// SDMMetaReadKey: decrypts PICCData (shared by a batch of cards: the UID is not known before decrypting).
    pub meta_read: Key,
    /// The card's own SDMFileReadKey (usually [`diversify`]d from a master key and the UID).
    pub file_read: Key,
}

impl std::fmt::Debug for SunKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SunKeys(…)")
    }
}

/// One tap's SUN message.
#[derive(Debug, Clone, Copy)]
pub struct SunMessage<'a> {
    pub picc: &'a [u8; 16],
    pub enc: Option<&'a [u8]>,
    pub cmac: &'a [u8; 8],
    /// The bytes the card MACed (empty, or e.g. `<ENCData hex>&m=`).
    pub mac_input: &'a [u8],
}

/// A verified SUN tap.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SunVerified {
    /// The 7-byte card UID, upper-case hex.
    pub uid: String,
    /// SDMReadCtr: increments on every read of the card.
    pub counter: u32,
    /// The decrypted file data, if the card mirrors encrypted file data.
    pub file_data: Option<Vec<u8>>,
}

/// Why a SUN message does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SunError {
    /// PICCData does not decrypt to a UID-and-counter tag: a wrong meta key or a forged URL.
    #[error("the PICCData does not decrypt to a UID and read counter (wrong key or forged)")]
    PiccData,
    /// The SDMMAC does not match.
    #[error("the SUN MAC does not match")]
    BadMac,
    /// Encrypted file data that is not whole AES blocks.
    #[error("the encrypted file data is not a whole number of 16-byte blocks")]
    FileDataLength,
}

/// Decrypts PICCData: the UID and the read counter, before the MAC is checked.
pub fn decrypt_picc(meta_read: &Key, picc: &[u8; 16]) -> Result<([u8; 7], [u8; 3]), SunError> {
    let plain = crypto::decrypt_block(meta_read, picc);
    let [tag, u0, u1, u2, u3, u4, u5, u6, c0, c1, c2, ..] = plain;
    // Bit 7: UID mirrored, bit 6: counter mirrored, bits 3–0: UID length 7.
    if tag & 0xc0 != 0xc0 || tag & 0x0f != 7 {
        return Err(SunError::PiccData);
    }
    Ok(([u0, u1, u2, u3, u4, u5, u6], [c0, c1, c2]))
}

/// Verifies a SUN message with the card's keys: the MAC is compared in constant time before anything else is
/// trusted, then the file data is decrypted.
pub fn verify_sun(keys: &SunKeys, message: &SunMessage<'_>) -> Result<SunVerified, SunError> {
    let (uid, counter) = decrypt_picc(&keys.meta_read, message.picc)?;
    let mac_key = session_mac_key(&keys.file_read, &uid, &counter);
    let expected = crypto::sdm_mac(&mac_key, message.mac_input);
    if !bool::from(expected.ct_eq(message.cmac)) {
        return Err(SunError::BadMac);
    }
    let file_data = match message.enc {
        Some(enc) if enc.is_empty() || enc.len() % 16 != 0 => return Err(SunError::FileDataLength),
        Some(enc) => {
            let enc_key = session_enc_key(&keys.file_read, &uid, &counter);
            Some(crypto::decrypt_file_data(&enc_key, &counter, enc))
        }
        None => None,
    };
    let [c0, c1, c2] = counter;
    Ok(SunVerified {
        uid: uid.iter().map(|b| format!("{b:02X}")).collect(),
        counter: u32::from_le_bytes([c0, c1, c2, 0]),
        file_data,
    })
}

#[cfg(test)]
mod tests;
