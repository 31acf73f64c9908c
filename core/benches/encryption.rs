//! What encryption at rest costs (ADR 0021): the same operations on the same seeded 1-year territory (1 rep,
//! 300 HCPs, 40 institutions, ~1,430 visits; data we generate ourselves), once in a plain store and once in an
//! encrypted copy of it — open + list today (cold open), add a visit, a notes keystroke, `handle_tap` of a signed
//! card, `validate` of a new visit.
//!
//! Run: `cargo bench -p mrc-core --bench encryption`; compare the medians of `plain/…` and `encrypted/…`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{hint::black_box, path::Path};

use chrono::{DateTime, Duration, FixedOffset};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use ed25519_dalek::SigningKey;
use mrc_core::{
    nfc::{
        card::{signed_card_url, Claim},
        ndef::{encode_message, uri_record, NdefInput},
        TapOutcome,
    },
    visit::{VisitFields, VisitFilter},
    OpenOptions, Store, StoreError, StoreKey,
};
use mrc_sample::SeedConfig;

fn key() -> StoreKey {
    StoreKey::from_bytes(&[0x5a; 32]).unwrap()
}

fn open(path: &Path, encrypted: bool) -> Store {
    let options = OpenOptions::new(mrc_core::clock::system());
    let options = if encrypted {
        options.with_key(key())
    } else {
        options
    };
    Store::open_with(path, options).unwrap()
}

/// The seeded territory with a card key registered, and the NDEF bytes of a signed card for one of its materials.
fn seed(path: &Path, config: &SeedConfig) -> Vec<u8> {
    let store = open(path, false);
    mrc_sample::seed(&store, config).unwrap();
    let signing = SigningKey::from_bytes(&[5; 32]);
    store
        .put_card_key(1, &signing.verifying_key().to_bytes())
        .unwrap();
    let (material_id, material_version): (String, u16) = store
        .read(|conn| {
            conn.query_row(
                "SELECT id, version FROM materials WHERE status = 'approved' ORDER BY id LIMIT 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .map_err(StoreError::from)
        })
        .unwrap();
    // The material's file is on the device, so the tap opens it.
    store
        .write(|tx| {
            tx.execute(
                "UPDATE materials SET local_path = 'content/' || id || '.pdf' WHERE id = ?1 AND version = ?2",
                (&material_id, material_version),
            )
            .map_err(StoreError::from)
        })
        .unwrap();
    let claim = Claim {
        key_id: 1,
        card_id: 77,
        material_id,
        material_version,
        issued_on: config.end - Duration::days(30),
        expires_on: config.end + Duration::days(300),
    };
    let url = signed_card_url("tap.example.jp", &claim, &signing).unwrap();
    encode_message(&[uri_record(&url)]).unwrap()
}

/// A new visit later on the last day, with a fresh note, as the form sends it.
fn new_form(store: &Store, now: DateTime<FixedOffset>) -> VisitFields {
    let today = store
        .list_visits(&VisitFilter::Today { now: now.to_utc() })
        .unwrap();
    let mut form = today.first().expect("visits on the last day").fields.clone();
    form.started_at = Some(now - Duration::minutes(20));
    form.notes = format!(
        "{}。追加で腎機能の質問あり。",
        form.notes.chars().rev().collect::<String>()
    );
    form
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let config = SeedConfig::default();
    let plain_path = dir.path().join("plain.db");
    let ndef = seed(&plain_path, &config);
    // The encrypted store is the same file encrypted in place (what a device's first open with a key does).
    let encrypted_path = dir.path().join("encrypted.db");
    std::fs::copy(&plain_path, &encrypted_path).unwrap();
    drop(open(&encrypted_path, true));
    let now = DateTime::parse_from_rfc3339(&format!("{}T18:30:00+09:00", config.end)).unwrap();

    for (label, path, encrypted) in [
        ("plain", &plain_path, false),
        ("encrypted", &encrypted_path, true),
    ] {
        let mut group = c.benchmark_group(label);
        group.bench_function("open_and_list_today_cold", |b| {
            b.iter(|| {
                let store = open(path, encrypted);
                black_box(
                    store
                        .list_visits(&VisitFilter::Today { now: now.to_utc() })
                        .unwrap(),
                )
            })
        });

        let store = open(path, encrypted);
        let form = new_form(&store, now);
        group.bench_function("validate_new_visit", |b| {
            b.iter(|| black_box(store.validate(None, &form, None, now.to_utc()).unwrap()))
        });

        let first = store.handle_tap(NdefInput::Bytes(&ndef), now, None).unwrap();
        assert!(matches!(first.outcome, TapOutcome::Open { .. }), "{first:?}");
        group.bench_function("handle_tap_signed_card", |b| {
            b.iter(|| black_box(store.handle_tap(NdefInput::Bytes(&ndef), now, None).unwrap()))
        });

        // Each added visit goes one day further back, so the store keeps ~6 visits a day around it.
        let mut day = 0;
        group.bench_function("add_visit", |b| {
            b.iter_batched(
                || {
                    day += 1;
                    let mut added = form.clone();
                    added.started_at = added.started_at.map(|t| t - Duration::days(day));
                    added
                },
                |added| black_box(store.create_visit(&added).unwrap()),
                BatchSize::SmallInput,
            )
        });

        // A keystroke in a ~150-character note: insert a comma, then delete it, so the note keeps its size.
        let id = store.create_visit(&form).unwrap();
        let mut insert = true;
        group.bench_function("notes_keystroke", |b| {
            b.iter(|| {
                if insert {
                    store.splice_notes(id, 10, 0, black_box("、")).unwrap();
                } else {
                    store.splice_notes(id, 10, 1, "").unwrap();
                }
                insert = !insert;
            })
        });
        group.finish();
    }
}

criterion_group! {
    name = encryption;
    config = Criterion::default().sample_size(50);
    targets = benches
}
criterion_main!(encryption);
