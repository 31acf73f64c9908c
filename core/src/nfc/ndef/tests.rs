//! Framing tests: every weakness listed for ndef-rs 0.2.3, chunk series, and property tests.

use proptest::prelude::*;

use super::*;

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn a_huge_declared_payload_is_refused_without_allocating() {
    // 9 bytes: long record, type "U", payload length 0xFFFFFFF0.
    let bytes = hex("c101fffffff0550468");
    let err = decode_message(&bytes).unwrap_err();
    assert!(
        matches!(err, NdefError::Truncated { field: "payload", .. }),
        "{err}"
    );
    assert!(err.to_string().contains("4294967280"), "{err}");
}

#[test]
fn an_empty_uri_payload_is_an_error_not_a_panic() {
    let err = decode_bytes(&hex("d1010055")).unwrap_err();
    assert!(matches!(err, NdefError::Payload { kind: "URI", .. }), "{err}");
}

#[test]
fn a_zero_length_id_reads_and_re_encodes_canonically() {
    // IL set with ID_LENGTH 0 is legal on the wire; it is re-encoded without IL and reads back the same.
    let bytes = hex("d9010200550461");
    let records = decode_message(&bytes).unwrap();
    assert!(records[0].id.is_empty());
    let again = encode_message(&records).unwrap();
    assert_eq!(again, hex("d10102550461"));
    assert_eq!(decode_message(&again).unwrap(), records);
}

#[test]
fn message_begin_and_end_flags_are_enforced() {
    for (bytes, why) in [
        ("510102550461", "no MB"),
        ("910102550461", "no ME"),
        ("d10102550461d10102550461", "record after ME"),
        ("910102550461d10102550461", "MB twice"),
        ("d1010255046100", "trailing byte"),
        ("f10102550461", "CF on the last record"),
        ("d7000000", "TNF 7"),
        ("d6000000", "TNF 6 alone"),
        ("d0010000", "empty record with a type"),
        ("d1000000", "well-known record without type"),
        ("d5010000", "unknown record with a type"),
        ("", "no bytes"),
        ("d1", "header only"),
        ("d101", "no payload length"),
        ("d10105550461", "payload short"),
        ("d101025504e3", "non-UTF-8 URI"),
        ("d1010a5404ff", "bad text"),
        ("d1020255fe0461", "non-ASCII type"),
    ] {
        assert!(decode_bytes(&hex(bytes)).is_err(), "{why} was accepted");
    }
}

#[test]
fn chunk_series_are_joined_and_misplaced_chunks_refused() {
    let record = uri_record("https://tap.example.jp/資材/長い/パス");
    for size in [1, 2, 7, 1000] {
        let bytes = encode_chunked(std::slice::from_ref(&record), size).unwrap();
        assert_eq!(decode_message(&bytes).unwrap(), vec![record.clone()]);
    }
    // A middle chunk with a type, and a middle chunk with an id, are refused.
    assert!(decode_message(&hex("b1010155045601015561")).is_err());
    assert!(decode_message(&hex("b1010155045e000101aa61")).is_err());
    assert!(decode_message(&hex("b10101550456000161")).is_ok());
    // A chunk series left open at the end of the message.
    assert!(decode_message(&hex("b101015504")).is_err());
}

#[test]
fn typed_payloads_and_ids_come_out() {
    let records = vec![
        uri_record("https://tap.example.jp/c/abc").with_id(*b"u1"),
        text_record("資材を開く", "ja", TextEncoding::Utf16)
            .unwrap()
            .with_id(*b"t1"),
        aar_record("jp.example.mrc"),
        mime_record("application/json", br#"{"a":1}"#),
        external_record("example.jp:card", b"\x01\x02"),
        Record::new(Tnf::Empty, Vec::new(), Vec::new()),
        Record::new(Tnf::Unknown, Vec::new(), vec![0u8; 300]),
    ];
    let decoded = decode_bytes(&encode_message(&records).unwrap()).unwrap();
    assert_eq!(decoded[0].uri(), Some("https://tap.example.jp/c/abc"));
    assert_eq!(decoded[0].record.id, b"u1");
    assert!(matches!(&decoded[1].payload, Payload::Text(t) if t.text == "資材を開く" && t.lang == "ja"));
    assert_eq!(decoded[2].payload, Payload::AndroidApp("jp.example.mrc".into()));
    assert_eq!(decoded[3].payload, Payload::Mime);
    assert_eq!(decoded[4].payload, Payload::External);
    assert_eq!(decoded[5].payload, Payload::Empty);
    assert_eq!(decoded[6].record.payload.len(), 300);
}

#[test]
fn record_lists_follow_the_same_rules() {
    let good = [uri_record("https://tap.example.jp/c/x")];
    assert_eq!(
        decode(NdefInput::Records(&good)).unwrap()[0].uri(),
        Some("https://tap.example.jp/c/x")
    );
    assert!(decode(NdefInput::Records(&[])).is_err());
    let bad = [Record::new(Tnf::WellKnown, Vec::new(), b"x".to_vec())];
    assert!(decode(NdefInput::Records(&bad)).is_err());
    let huge = [Record::new(
        Tnf::Unknown,
        Vec::new(),
        vec![0; MAX_MESSAGE_LEN + 1],
    )];
    assert!(matches!(
        decode(NdefInput::Records(&huge)),
        Err(NdefError::TooLarge { .. })
    ));
    let empty_uri = [Record::new(Tnf::WellKnown, *b"U", Vec::new())];
    assert!(decode(NdefInput::Records(&empty_uri)).is_err());
}

#[test]
fn encoding_refuses_what_cannot_be_framed() {
    assert!(encode_message(&[]).is_err());
    assert!(encode_message(&[Record::new(Tnf::External, vec![b'a'; 256], Vec::new())]).is_err());
    assert!(encode_message(&[Record::new(Tnf::Media, *b"a", Vec::new()).with_id(vec![1; 256])]).is_err());
    assert!(encode_message(&[Record::new(Tnf::Empty, *b"a", Vec::new())]).is_err());
}

fn arb_record() -> impl Strategy<Value = Record> {
    (
        1u8..=5,
        proptest::collection::vec(0x20u8..0x7f, 1..20),
        proptest::collection::vec(any::<u8>(), 0..4),
        proptest::collection::vec(any::<u8>(), 0..600),
    )
        .prop_map(|(tnf, record_type, id, payload)| {
            let tnf = Tnf::from_code(tnf).unwrap();
            let record_type = if tnf == Tnf::Unknown {
                Vec::new()
            } else {
                record_type
            };
            Record {
                tnf,
                record_type,
                id,
                payload,
            }
        })
}

proptest! {
    #[test]
    fn any_bytes_decode_or_fail_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(records) = decode_message(&bytes) {
            let held: usize = records.iter().map(|r| r.record_type.len() + r.id.len() + r.payload.len()).sum();
            prop_assert!(held <= bytes.len());
        }
        let _ = decode_bytes(&bytes);
    }

    #[test]
    fn encoded_messages_decode_to_the_same_records(
        records in proptest::collection::vec(arb_record(), 1..5),
        chunk in 1usize..700,
    ) {
        prop_assert_eq!(&decode_message(&encode_message(&records).unwrap()).unwrap(), &records);
        prop_assert_eq!(&decode_message(&encode_chunked(&records, chunk).unwrap()).unwrap(), &records);
    }
}
