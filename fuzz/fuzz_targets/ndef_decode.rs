//! Fuzzes the NDEF decoder: never a panic, never more bytes held than read, every accepted message re-encodes to
//! the same records, and `ndef-rs` frames every accepted unchunked message into the same records.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mrc_core::nfc::ndef::{decode_bytes, decode_message, encode_message};

fuzz_target!(|data: &[u8]| {
    let _ = decode_bytes(data);
    let Ok(records) = decode_message(data) else {
        return;
    };
    let held: usize = records
        .iter()
        .map(|r| r.record_type.len() + r.id.len() + r.payload.len())
        .sum();
    assert!(held <= data.len(), "holds {held} bytes from {} bytes of input", data.len());
    let again = encode_message(&records).expect("an accepted message re-encodes");
    assert_eq!(decode_message(&again).expect("re-encoded bytes decode"), records);

    // The differential oracle: same frames as ndef-rs (which does not join chunks, so unchunked messages only).
    let theirs = ndef_rs::NdefMessage::decode(data).expect("ndef-rs frames every message we accept");
    if theirs.records().len() == records.len() {
        for (ours, theirs) in records.iter().zip(theirs.records()) {
            assert_eq!(ours.tnf.code(), theirs.tnf() as u8);
            assert_eq!(ours.record_type.as_slice(), theirs.record_type());
            assert_eq!(ours.id.as_slice(), theirs.id().unwrap_or_default());
            assert_eq!(ours.payload.as_slice(), theirs.payload());
        }
    }
});
