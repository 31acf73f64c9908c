//! Fuzzes tap handling on a real store: whatever a card holds, `handle_tap` returns an outcome (never a panic,
//! never a store error) and stores exactly one event.
//!
//! The first byte picks how the rest reaches the core: raw NDEF bytes, a URL on the allowed host, a signed-card
//! token, or SUN parameters — so the fuzzer reaches card verification and not only the NDEF framing.

#![no_main]

use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset};
use libfuzzer_sys::fuzz_target;
use mrc_core::{
    nfc::{
        ndef::{encode_message, uri_record, NdefInput},
        text_codec::base64url,
        CardKind, CardRecord,
    },
    Store,
};

const MASTER: &str = r#"{
  "products": [{"id": "P1", "name": "グルコバランス錠"}],
  "materials": [{"id": "MAT-0101", "version": 1, "title": "資材", "product_id": "P1", "approval_code": "A-1",
    "valid_from": "2026-04-01", "valid_until": "2027-03-31", "status": "approved",
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "size": 1}]
}"#;

fn store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("mrc-fuzz-tap-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let store = Store::open(dir.join("fuzz.db")).expect("store");
        store.import_master_json(MASTER).expect("master");
        let key = ed25519_dalek::SigningKey::from_bytes(&[1; 32]);
        store.put_card_key(1, &key.verifying_key().to_bytes()).expect("key");
        store.put_sun_key(2, &[3; 16], &[4; 16]).expect("sun key");
        store
            .register_card(&CardRecord {
                card_id: "D-1".into(),
                kind: CardKind::Sun,
                material_id: "MAT-0101".into(),
                material_version: 1,
                key_id: 2,
                issued_on: "2026-01-01".parse().expect("date"),
                expires_on: "2028-01-01".parse().expect("date"),
                uid: None,
            })
            .expect("card");
        store
    })
}

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-20T10:00:00+09:00").expect("time")
}

fn last_event(store: &Store) -> i64 {
    store
        .read(|conn| {
            conn.query_row("SELECT coalesce(max(rowid), 0) FROM events", [], |row| row.get(0))
                .map_err(mrc_core::StoreError::from)
        })
        .expect("count events")
}

fn tap_url(url: &str) -> Vec<u8> {
    encode_message(&[uri_record(url)]).expect("a URI record encodes")
}

fuzz_target!(|data: &[u8]| {
    let Some((mode, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let bytes = match mode % 4 {
        0 => rest.to_vec(),
        1 => tap_url(&format!("https://tap.example.jp/{text}")),
        2 => tap_url(&format!("https://tap.example.jp/c/{}", base64url(rest))),
        _ => tap_url(&format!("https://tap.example.jp/s/D-1?{text}")),
    };
    let store = store();
    let before = last_event(store);
    let tap = store.handle_tap(NdefInput::Bytes(&bytes), now(), None);
    assert!(tap.is_ok(), "handle_tap failed: {tap:?}");
    assert_eq!(last_event(store), before + 1, "exactly one event per tap");
});
