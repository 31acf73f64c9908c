//! SUN verification against the published NXP AN12196 vectors.

use super::*;
use crate::nfc::text_codec::{hex, unhex_array};

fn h16(text: &str) -> [u8; 16] {
    unhex_array(text).unwrap()
}

fn h8(text: &str) -> [u8; 8] {
    unhex_array(text).unwrap()
}

const ZERO: SunKeys = SunKeys {
    meta_read: [0; 16],
    file_read: [0; 16],
};

#[test]
fn an12196_empty_mac_input() {
    let picc = h16("EF963FF7828658A599F3041510671E88");
    let cmac = h8("94EED9EE65337086");
    let message = SunMessage {
        picc: &picc,
        enc: None,
        cmac: &cmac,
        mac_input: b"",
    };
    let verified = verify_sun(&ZERO, &message).unwrap();
    assert_eq!(verified.uid, "04DE5F1EACC040");
    assert_eq!(verified.counter, 61);
    assert_eq!(verified.file_data, None);
    let (uid, counter) = decrypt_picc(&[0; 16], &picc).unwrap();
    assert_eq!(
        hex(&session_mac_key(&[0; 16], &uid, &counter)),
        "3fb5f6e3a807a03d5e3570ace393776f"
    );
}

#[test]
fn every_flipped_mac_bit_fails() {
    let picc = h16("EF963FF7828658A599F3041510671E88");
    let good = h8("94EED9EE65337086");
    for byte in 0..8 {
        for bit in 0..8 {
            let mut cmac = good;
            cmac[byte] ^= 1 << bit;
            let message = SunMessage {
                picc: &picc,
                enc: None,
                cmac: &cmac,
                mac_input: b"",
            };
            assert_eq!(
                verify_sun(&ZERO, &message),
                Err(SunError::BadMac),
                "byte {byte} bit {bit}"
            );
        }
    }
    // The right MAC over a different input fails too.
    let message = SunMessage {
        picc: &picc,
        enc: None,
        cmac: &good,
        mac_input: b"x",
    };
    assert_eq!(verify_sun(&ZERO, &message), Err(SunError::BadMac));
}

#[test]
fn an12196_encrypted_file_data() {
    let picc = h16("FD91EC264309878BE6345CBE53BADF40");
    let enc = h16("CEE9A53E3E463EF1F459635736738962");
    let cmac = h8("ECC1E7F6C6C73BF6");
    let message = SunMessage {
        picc: &picc,
        enc: Some(&enc),
        cmac: &cmac,
        mac_input: b"CEE9A53E3E463EF1F459635736738962&cmac=",
    };
    let verified = verify_sun(&ZERO, &message).unwrap();
    assert_eq!((verified.uid.as_str(), verified.counter), ("04958CAA5C5E80", 8));
    assert_eq!(verified.file_data.as_deref(), Some(&b"xxxxxxxxxxxxxxxx"[..]));
    let (uid, counter) = decrypt_picc(&[0; 16], &picc).unwrap();
    assert_eq!(
        hex(&session_mac_key(&[0; 16], &uid, &counter)),
        "3ed0920e5e6a0320d823d5987feafbb1"
    );
}

#[test]
fn an12196_session_key_from_a_non_zero_key() {
    let key = h16("5ACE7E50AB65D5D51FD5BF5A16B8205B");
    let uid: [u8; 7] = unhex_array("04C767F2066180").unwrap();
    assert_eq!(
        hex(&session_mac_key(&key, &uid, &[1, 0, 0])),
        "3a3e8110e05311f7a3fcf0d969bf2b48"
    );
}

#[test]
fn a_wrong_meta_key_or_random_picc_is_refused() {
    let picc = h16("EF963FF7828658A599F3041510671E88");
    let cmac = h8("94EED9EE65337086");
    let keys = SunKeys {
        meta_read: h16("00112233445566778899AABBCCDDEEFF"),
        file_read: [0; 16],
    };
    let message = SunMessage {
        picc: &picc,
        enc: None,
        cmac: &cmac,
        mac_input: b"",
    };
    assert!(verify_sun(&keys, &message).is_err());
}

#[test]
fn diversified_keys_differ_per_card() {
    let master = h16("47BBB68AFA73F31310BEEFCE5DDA692D");
    let a = diversify(&master, &[4, 1, 2, 3, 4, 5, 6]);
    let b = diversify(&master, &[4, 1, 2, 3, 4, 5, 7]);
    assert_ne!(a, b);
    assert_eq!(a, diversify(&master, &[4, 1, 2, 3, 4, 5, 6]));
}
