//! `Store::handle_tap` end to end on a real store: every outcome, the event stored with it, SUN taps judged
//! offline and verified later, replays.

use chrono::{DateTime, FixedOffset, NaiveDate};
use ed25519_dalek::SigningKey;
use mrc_core::{
    nfc::{
        card::{signed_card_url, Claim},
        ndef::{encode_message, text_record, uri_record, NdefInput, TextEncoding},
        CardKind, CardRecord, Reason, Tap, TapOutcome, Verification,
    },
    Store, StoreError,
};

use mrc_sample::SimulatedCard;

use super::fixtures;

const MORE_MATERIALS: &str = r#"{"materials": [
  {"id": "M1", "version": 1, "title": "グルコバランス 旧版", "product_id": "P1", "approval_code": "MRC-2025-0001",
   "valid_from": "2025-04-01", "valid_until": "2026-03-31", "status": "approved",
   "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "size": 10},
  {"id": "M2", "version": 1, "title": "取り下げ資材", "product_id": "P1", "approval_code": "MRC-2026-0002",
   "valid_from": "2026-04-01", "valid_until": "2027-03-31", "status": "withdrawn",
   "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "size": 10},
  {"id": "M3", "version": 1, "title": "期限切れ資材", "product_id": "P1", "approval_code": "MRC-2024-0003",
   "valid_from": "2024-04-01", "valid_until": "2025-03-31", "status": "approved",
   "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "size": 10}
]}"#;

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-20T10:05:00+09:00").unwrap()
}

fn key() -> SigningKey {
    SigningKey::from_bytes(&[42; 32])
}

fn setup() -> (tempfile::TempDir, Store) {
    let (dir, store) = fixtures::store();
    store.import_master_json(MORE_MATERIALS).unwrap();
    store.put_card_key(1, &key().verifying_key().to_bytes()).unwrap();
    store
        .write(|tx| {
            tx.execute(
                "UPDATE materials SET local_path = 'content/' || id || '-' || version || '.pdf'",
                [],
            )?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    (dir, store)
}

fn claim(material: &str, version: u16, expires: &str) -> Claim {
    Claim {
        key_id: 1,
        card_id: 1001,
        material_id: material.into(),
        material_version: version,
        issued_on: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
        expires_on: expires.parse().unwrap(),
    }
}

fn card_bytes(url: &str) -> Vec<u8> {
    encode_message(&[uri_record(url)]).unwrap()
}

fn tap(store: &Store, url: &str) -> Tap {
    store
        .handle_tap(NdefInput::Bytes(&card_bytes(url)), now(), None)
        .unwrap()
}

fn signed(material: &str, version: u16, expires: &str) -> String {
    signed_card_url("tap.example.jp", &claim(material, version, expires), &key()).unwrap()
}

fn only_event(store: &Store) -> mrc_core::nfc::TapEvent {
    let events = store.tap_events_between(0, i64::MAX).unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    events.into_iter().next().unwrap()
}

#[test]
fn a_genuine_card_opens_its_material_and_records_the_tap_in_the_visit() {
    let (_dir, store) = setup();
    let visit = store.create_visit(&fixtures::form()).unwrap();
    let bytes = card_bytes(&signed("M1", 2, "2027-10-31"));
    let tap = store
        .handle_tap(NdefInput::Bytes(&bytes), now(), Some(visit))
        .unwrap();
    assert_eq!(
        tap.outcome,
        TapOutcome::Open {
            material: "M1".into(),
            version: 2,
            title: "グルコバランス 製品情報概要".into(),
            local_path: "content/M1-2.pdf".into(),
        }
    );
    assert_eq!(tap.verification, Verification::Verified);
    let event = only_event(&store);
    assert_eq!(event.id, tap.event_id);
    assert_eq!(event.card_id.as_deref(), Some("1001"));
    assert_eq!(
        (event.material_id.as_deref(), event.material_version),
        (Some("M1"), Some(2))
    );
    assert_eq!(event.verification, Verification::Verified);
    assert_eq!(event.visit_id, Some(visit));
    assert_eq!(event.occurred_at, now().timestamp_millis());
    assert_eq!(store.tap_events_of_visit(visit).unwrap().len(), 1);
    assert!(uuid::Uuid::parse_str(&tap.event_id).unwrap().get_version_num() == 7);
    // The window is half-open.
    assert!(store
        .tap_events_between(0, now().timestamp_millis())
        .unwrap()
        .is_empty());
}

#[test]
fn ios_record_lists_and_smart_posters_work_like_bytes() {
    let (_dir, store) = setup();
    let records = [
        text_record("資材を開く", "ja", TextEncoding::Utf8).unwrap(),
        uri_record(&signed("M1", 2, "2027-10-31")),
    ];
    let tap = store
        .handle_tap(NdefInput::Records(&records), now(), None)
        .unwrap();
    assert!(matches!(tap.outcome, TapOutcome::Open { .. }), "{tap:?}");
}

#[test]
fn an_old_version_opens_the_current_one() {
    let (_dir, store) = setup();
    let tap = tap(&store, &signed("M1", 1, "2027-10-31"));
    assert!(
        matches!(tap.outcome, TapOutcome::Superseded { card_version: 1, current_version: 2, ref local_path, .. }
            if local_path == "content/M1-2.pdf"),
        "{tap:?}"
    );
    assert_eq!(only_event(&store).material_version, Some(2));
}

#[test]
fn withdrawn_expired_and_uncached_materials_say_why() {
    let (_dir, store) = setup();
    let t = tap(&store, &signed("M2", 1, "2027-10-31"));
    assert!(
        matches!(
            t.outcome,
            TapOutcome::Withdrawn {
                reason: Reason::MaterialWithdrawn,
                ..
            }
        ),
        "{t:?}"
    );
    let t = tap(&store, &signed("M3", 1, "2027-10-31"));
    assert!(
        matches!(
            t.outcome,
            TapOutcome::Expired {
                reason: Reason::MaterialExpired,
                ..
            }
        ),
        "{t:?}"
    );
    let t = tap(&store, &signed("M1", 2, "2026-11-19"));
    assert!(
        matches!(
            t.outcome,
            TapOutcome::Expired {
                reason: Reason::CardExpired,
                ..
            }
        ),
        "{t:?}"
    );
    // A genuine card is still a genuine card: the event says verified.
    assert_eq!(t.verification, Verification::Verified);

    store
        .write(|tx| {
            tx.execute("UPDATE materials SET local_path = NULL WHERE id = 'M1'", [])?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let url = signed("M1", 2, "2027-10-31");
    let t = tap(&store, &url);
    assert_eq!(
        t.outcome,
        TapOutcome::NotCached {
            material: "M1".into(),
            version: 2,
            fallback_url: url
        }
    );
    let t = tap(&store, &signed("M9", 1, "2027-10-31"));
    assert!(
        matches!(t.outcome, TapOutcome::NotCached { version: 1, .. }),
        "{t:?}"
    );
    assert_eq!(store.tap_events_between(0, i64::MAX).unwrap().len(), 5);
}

#[test]
fn forged_foreign_and_unreadable_cards_open_nothing_but_are_recorded() {
    let (_dir, store) = setup();
    let other = SigningKey::from_bytes(&[7; 32]);
    let forged = signed_card_url("tap.example.jp", &claim("M1", 2, "2027-10-31"), &other).unwrap();
    let mut unknown_key = claim("M1", 2, "2027-10-31");
    unknown_key.key_id = 9;
    let unknown_key = signed_card_url("tap.example.jp", &unknown_key, &key()).unwrap();
    let cases: [(Vec<u8>, Verification, Reason); 8] = [
        (card_bytes(&forged), Verification::Forged, Reason::BadSignature),
        (
            card_bytes("https://tap.example.jp/c/AAAAAAAA"),
            Verification::Forged,
            Reason::MalformedCard,
        ),
        (
            card_bytes(&unknown_key),
            Verification::Unknown,
            Reason::UnknownKey,
        ),
        (
            card_bytes("https://evil.example.com/c/x"),
            Verification::Unknown,
            Reason::ForeignUrl,
        ),
        (
            card_bytes("http://tap.example.jp/c/x"),
            Verification::Unknown,
            Reason::ForeignUrl,
        ),
        (
            card_bytes("https://tap.example.jp/c/\u{202E}fdp.exe"),
            Verification::Unknown,
            Reason::UnsafeUrl,
        ),
        (
            vec![0xd1, 0x01, 0xff, 0x55],
            Verification::Unknown,
            Reason::Unreadable,
        ),
        (
            encode_message(&[text_record("こんにちは", "ja", TextEncoding::Utf8).unwrap()]).unwrap(),
            Verification::Unknown,
            Reason::NoUrl,
        ),
    ];
    for (bytes, verification, reason) in cases {
        let t = store.handle_tap(NdefInput::Bytes(&bytes), now(), None).unwrap();
        assert_eq!(t.verification, verification, "{t:?}");
        let found = match t.outcome {
            TapOutcome::Forged { reason } | TapOutcome::UnknownCard { reason } => reason,
            other => panic!("opened something: {other:?}"),
        };
        assert_eq!(found, reason);
    }
    let events = store.tap_events_between(0, i64::MAX).unwrap();
    assert_eq!(events.len(), 8);
    assert!(events.iter().all(|e| !e.verification.is_evidence()));
}

#[test]
fn a_tap_with_an_unknown_visit_is_still_recorded() {
    let (_dir, store) = setup();
    let bytes = card_bytes(&signed("M1", 2, "2027-10-31"));
    let t = store
        .handle_tap(NdefInput::Bytes(&bytes), now(), Some(mrc_core::VisitId::new_v7()))
        .unwrap();
    assert!(matches!(t.outcome, TapOutcome::Open { .. }));
    assert_eq!(only_event(&store).visit_id, None);
}

fn sun_card() -> SimulatedCard {
    SimulatedCard {
        meta_read: [0x11; 16],
        file_read_master: [0x22; 16],
        uid: [0x04, 0xde, 0x5f, 0x1e, 0xac, 0xc0, 0x40],
    }
}

fn register_sun(store: &Store) {
    store
        .register_card(&CardRecord {
            card_id: "D-0001".into(),
            kind: CardKind::Sun,
            material_id: "M1".into(),
            material_version: 2,
            key_id: 3,
            issued_on: "2026-10-01".parse().unwrap(),
            expires_on: "2028-10-01".parse().unwrap(),
            uid: Some("04DE5F1EACC040".into()),
        })
        .unwrap();
}

#[test]
fn sun_taps_offline_are_pending_then_verified_at_sync() {
    let (_dir, store) = setup();
    register_sun(&store);
    let card = sun_card();
    let first = card.tap_url("tap.example.jp", "D-0001", 10, None, 0x01);
    let t = tap(&store, &first);
    assert!(matches!(t.outcome, TapOutcome::Open { .. }), "{t:?}");
    assert_eq!(t.verification, Verification::PendingVerification);
    // The same URL again, even offline, is a replay.
    let t = tap(&store, &first);
    assert_eq!(
        t.outcome,
        TapOutcome::Replay {
            card_id: "D-0001".into(),
            reason: Reason::SeenBefore
        }
    );
    // A forged MAC cannot be told offline.
    let mut forged = card.tap_url("tap.example.jp", "D-0001", 11, None, 0x02);
    let last = forged.pop().unwrap();
    forged.push(if last == '0' { '1' } else { '0' });
    assert_eq!(
        tap(&store, &forged).verification,
        Verification::PendingVerification
    );
    // An older counter, also pending offline.
    let older = card.tap_url("tap.example.jp", "D-0001", 9, None, 0x03);
    assert_eq!(
        tap(&store, &older).verification,
        Verification::PendingVerification
    );
    // Unknown SUN card.
    let t = tap(&store, &card.tap_url("tap.example.jp", "D-9999", 1, None, 0));
    assert_eq!(
        t.outcome,
        TapOutcome::UnknownCard {
            reason: Reason::UnknownCard
        }
    );

    // At sync (where the key is), the pending taps are judged in order.
    store.put_sun_key(3, &[0x11; 16], &[0x22; 16]).unwrap();
    let summary = store.verify_pending_taps().unwrap();
    assert_eq!(
        (
            summary.verified,
            summary.forged,
            summary.replay,
            summary.still_pending
        ),
        (1, 1, 1, 0)
    );
    let verdicts: Vec<Verification> = store
        .tap_events_between(0, i64::MAX)
        .unwrap()
        .iter()
        .map(|e| e.verification)
        .collect();
    assert_eq!(
        verdicts,
        [
            Verification::Verified,
            Verification::Replay,
            Verification::Forged,
            Verification::Replay,
            Verification::Unknown
        ]
    );
    assert_eq!(store.verify_pending_taps().unwrap(), Default::default());
}

#[test]
fn sun_taps_with_the_key_are_verified_at_once_with_a_counter() {
    let (_dir, store) = setup();
    register_sun(&store);
    store.put_sun_key(3, &[0x11; 16], &[0x22; 16]).unwrap();
    let card = sun_card();
    let t = tap(
        &store,
        &card.tap_url("tap.example.jp", "D-0001", 5, Some(b"lot-1"), 1),
    );
    assert_eq!(t.verification, Verification::Verified, "{t:?}");
    let t = tap(&store, &card.tap_url("tap.example.jp", "D-0001", 4, None, 2));
    assert_eq!(
        t.outcome,
        TapOutcome::Replay {
            card_id: "D-0001".into(),
            reason: Reason::CounterNotIncreased
        }
    );
    let t = tap(&store, &card.tap_url("tap.example.jp", "D-0001", 6, None, 3));
    assert_eq!(t.verification, Verification::Verified);
    // A genuine card of another UID carrying this card's path.
    let other = SimulatedCard {
        uid: [4, 4, 4, 4, 4, 4, 4],
        ..sun_card()
    };
    let t = tap(&store, &other.tap_url("tap.example.jp", "D-0001", 50, None, 4));
    assert_eq!(
        t.outcome,
        TapOutcome::Forged {
            reason: Reason::WrongCard
        }
    );
    // A wrong meta key.
    let wrong = SimulatedCard {
        meta_read: [0x12; 16],
        ..sun_card()
    };
    let t = tap(&store, &wrong.tap_url("tap.example.jp", "D-0001", 51, None, 5));
    assert_eq!(
        t.outcome,
        TapOutcome::Forged {
            reason: Reason::BadSunMac
        }
    );
}

#[test]
fn allowed_hosts_come_from_the_settings() {
    let (_dir, store) = setup();
    store.set_allowed_hosts(&["cards.example.jp"]).unwrap();
    let url = signed_card_url("tap.example.jp", &claim("M1", 2, "2027-10-31"), &key()).unwrap();
    assert_eq!(
        tap(&store, &url).outcome,
        TapOutcome::UnknownCard {
            reason: Reason::ForeignUrl
        }
    );
    let url = signed_card_url("cards.example.jp", &claim("M1", 2, "2027-10-31"), &key()).unwrap();
    assert!(matches!(tap(&store, &url).outcome, TapOutcome::Open { .. }));
    assert_eq!(store.url_policy().unwrap().hosts(), ["cards.example.jp"]);
}

#[test]
fn card_keys_arrive_with_the_master_data() {
    let (_dir, store) = fixtures::store();
    let public = key().verifying_key().to_bytes();
    let hex: String = public.iter().map(|b| format!("{b:02x}")).collect();
    let bad = r#"{"card_keys": [{"key_id": 1, "public_key": "abcd"}]}"#;
    let err = store.import_master_json(bad).unwrap_err();
    assert!(err.to_string().contains("/card_keys/0/public_key"), "{err}");
    let url = signed("M1", 2, "2027-10-31");
    assert_eq!(
        tap(&store, &url).outcome,
        TapOutcome::UnknownCard {
            reason: Reason::UnknownKey
        }
    );
    store
        .import_master_json(&format!(
            r#"{{"card_keys": [{{"key_id": 1, "public_key": "{hex}"}}]}}"#
        ))
        .unwrap();
    assert_eq!(tap(&store, &url).verification, Verification::Verified);
}

#[test]
fn demo_cards_tell_the_story_on_a_seeded_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = crate::fixtures::open(dir.path().join("demo.db"));
    let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let config = mrc_sample::SeedConfig {
        hcps: 20,
        institutions: 4,
        days: 10,
        end: today,
        ..Default::default()
    };
    mrc_sample::seed(&store, &config).unwrap();
    let cards = mrc_sample::cards::demo_cards(&store, today).unwrap();
    let at = |bytes: &[u8]| {
        store
            .handle_tap(NdefInput::Bytes(bytes), now(), None)
            .unwrap()
            .outcome
    };
    assert!(
        matches!(at(&cards.genuine), TapOutcome::Open { .. }),
        "{:?}",
        at(&cards.genuine)
    );
    assert!(matches!(at(&cards.superseded), TapOutcome::Superseded { .. }));
    assert_eq!(
        at(&cards.forged),
        TapOutcome::Forged {
            reason: Reason::BadSignature
        }
    );
    assert_eq!(cards.genuine_image.len(), 4 + 144);
}
