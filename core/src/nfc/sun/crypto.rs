//! The AES-128 primitives of NTAG 424 DNA Secure Dynamic Messaging (NXP AN12196): PICCData decryption, session
//! keys, the truncated SDMMAC, file-data decryption, and per-card key diversification (NXP AN10922).

use aes::{
    cipher::{generic_array::GenericArray, BlockDecrypt, BlockEncrypt, KeyInit},
    Aes128,
};
use cmac::{Cmac, Mac};

/// An AES-128 key.
pub type Key = [u8; 16];

/// AES-CMAC of `data` under `key`.
pub fn cmac(key: &Key, data: &[u8]) -> [u8; 16] {
    let mut mac = <Cmac<Aes128> as KeyInit>::new(GenericArray::from_slice(key));
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Decrypts one block (AES-128, no chaining: PICCData is one block with a zero IV).
pub fn decrypt_block(key: &Key, block: &[u8; 16]) -> [u8; 16] {
    let cipher = Aes128::new(GenericArray::from_slice(key));
    let mut b = GenericArray::clone_from_slice(block);
    cipher.decrypt_block(&mut b);
    b.into()
}

fn encrypt_block(key: &Key, block: &[u8; 16]) -> [u8; 16] {
    let cipher = Aes128::new(GenericArray::from_slice(key));
    let mut b = GenericArray::clone_from_slice(block);
    cipher.encrypt_block(&mut b);
    b.into()
}

/// The session vector `label ‖ 00 01 00 80 ‖ UID ‖ SDMReadCtr` (AN12196 §3.4.4.1).
fn session_vector(label: [u8; 2], uid: &[u8; 7], counter: &[u8; 3]) -> [u8; 16] {
    let mut sv = [0u8; 16];
    let parts: [&[u8]; 4] = [&label, &[0x00, 0x01, 0x00, 0x80], uid, counter];
    let mut at = 0;
    for part in parts {
        for byte in part {
            if let Some(slot) = sv.get_mut(at) {
                *slot = *byte;
            }
            at += 1;
        }
    }
    sv
}

/// KSesSDMFileReadMAC: CMAC of SV2 (`3C C3 …`) under the card's SDMFileReadKey.
pub fn session_mac_key(file_key: &Key, uid: &[u8; 7], counter: &[u8; 3]) -> Key {
    cmac(file_key, &session_vector([0x3c, 0xc3], uid, counter))
}

/// KSesSDMFileReadENC: CMAC of SV1 (`C3 3C …`) under the card's SDMFileReadKey.
pub fn session_enc_key(file_key: &Key, uid: &[u8; 7], counter: &[u8; 3]) -> Key {
    cmac(file_key, &session_vector([0xc3, 0x3c], uid, counter))
}

/// The SDMMAC: the odd-indexed bytes of the CMAC of the MAC input under the session MAC key.
pub fn sdm_mac(session_mac_key: &Key, mac_input: &[u8]) -> [u8; 8] {
    let full = cmac(session_mac_key, mac_input);
    let mut out = [0u8; 8];
    for (slot, byte) in out.iter_mut().zip(full.iter().skip(1).step_by(2)) {
        *slot = *byte;
    }
    out
}

/// Decrypts SDMENCFileData: AES-128-CBC under KSesSDMFileReadENC with IV = E(KSesSDMFileReadENC, SDMReadCtr ‖ 0¹³).
/// `data` must be a whole number of blocks (checked by the caller).
pub fn decrypt_file_data(session_enc_key: &Key, counter: &[u8; 3], data: &[u8]) -> Vec<u8> {
    let mut iv_input = [0u8; 16];
    for (slot, byte) in iv_input.iter_mut().zip(counter) {
        *slot = *byte;
    }
    let mut previous = encrypt_block(session_enc_key, &iv_input);
    let mut out = Vec::with_capacity(data.len());
    for block in data.chunks_exact(16) {
        let mut current = [0u8; 16];
        current.copy_from_slice(block);
        let plain = decrypt_block(session_enc_key, &current);
        out.extend(plain.iter().zip(previous.iter()).map(|(p, v)| p ^ v));
        previous = current;
    }
    out
}

/// The system identifier mixed into every diversified key of this product.
pub const SYSTEM_IDENTIFIER: &[u8] = b"MRCompanion";

/// A card's key diversified from a master key and the card UID (AN10922 AES-128):
/// CMAC(master, 01 ‖ UID ‖ "MRCompanion"). The 19-byte input is padded by CMAC exactly as AN10922 pads it (to
/// 32 bytes with K2), so plain AES-CMAC computes the AN10922 result.
pub fn diversify(master: &Key, uid: &[u8; 7]) -> Key {
    let input = [&[0x01][..], uid, SYSTEM_IDENTIFIER].concat();
    cmac(master, &input)
}
