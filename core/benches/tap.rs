//! `handle_tap` end to end: decode the NDEF bytes, check the URL, verify the Ed25519 signature, resolve the material
//! among 10,000, store the engagement event with 1,000,000 events already in the store — one transaction.
//!
//! Run: `cargo bench -p mrc-core --bench tap`. Criterion reports the mean; the p50/p99/max of single calls are
//! measured separately (criterion times batches, not single calls) and printed before it starts: once with the
//! store as it is, and once with SQLite's automatic WAL checkpoint every 10,000 pages instead of 1,000 — taps run
//! back to back here, so every ~150th tap pays a checkpoint and the next one the WAL-restart fsync (4–15 ms).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{hint::black_box, time::Instant};

use chrono::{DateTime, FixedOffset};
use criterion::{criterion_group, criterion_main, Criterion};
use ed25519_dalek::SigningKey;
use mrc_core::{
    nfc::{
        card::{signed_card_url, Claim},
        ndef::{encode_message, uri_record, NdefInput},
        TapOutcome,
    },
    Store, StoreError,
};

const MATERIALS: usize = 10_000;
const EVENTS: usize = 1_000_000;
const SAMPLES: usize = 20_000;

fn prefilled() -> (tempfile::TempDir, Store, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("taps.db")).unwrap();
    let key = SigningKey::from_bytes(&[5; 32]);
    store.put_card_key(1, &key.verifying_key().to_bytes()).unwrap();
    let started = Instant::now();
    store
        .write(|tx| {
            tx.execute("INSERT INTO products (id, name) VALUES ('P1', 'グルコバランス錠')", [])?;
            let mut m = tx.prepare(
                "INSERT INTO materials (id, version, title, product_id, approval_code, valid_from, valid_until,
                                        status, sha256, size, local_path)
                 VALUES (?1, 1, ?2, 'P1', 'MRC-2026-0001', '2026-04-01', '2027-03-31', 'approved', ?3, 1000, ?4)",
            )?;
            for i in 0..MATERIALS {
                let id = format!("MAT-{i:05}");
                m.execute((&id, format!("資材 {i}"), format!("{i:064x}"), format!("content/{id}.pdf")))?;
            }
            let mut e = tx.prepare(
                "INSERT INTO events (id, kind, occurred_at, card_id, material_id, material_version, verification)
                 VALUES (?1, 'nfc_tap', ?2, ?3, ?4, 1, 'verified')",
            )?;
            let base = 1_700_000_000_000i64;
            for i in 0..EVENTS {
                let mut id = [0u8; 16];
                id[..8].copy_from_slice(&(i as u64).to_be_bytes());
                id[8] = 0x80;
                let material = format!("MAT-{:05}", i % MATERIALS);
                e.execute((id.as_slice(), base + i as i64 * 1000, (i % 5000).to_string(), material))?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    eprintln!(
        "pre-filled {MATERIALS} materials and {EVENTS} events in {:.1?}",
        started.elapsed()
    );
    let claim = Claim {
        key_id: 1,
        card_id: 77,
        material_id: "MAT-04242".into(),
        material_version: 1,
        issued_on: "2026-10-01".parse().unwrap(),
        expires_on: "2027-09-30".parse().unwrap(),
    };
    let url = signed_card_url("tap.example.jp", &claim, &key).unwrap();
    let ndef = encode_message(&[uri_record(&url)]).unwrap();
    (dir, store, ndef)
}

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-20T10:00:00+09:00").unwrap()
}

/// Single-call latencies: p50, p99, max.
fn percentiles(label: &str, store: &Store, ndef: &[u8]) {
    let mut micros: Vec<f64> = (0..SAMPLES)
        .map(|_| {
            let started = Instant::now();
            black_box(store.handle_tap(NdefInput::Bytes(ndef), now(), None).unwrap());
            started.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    micros.sort_by(f64::total_cmp);
    let at = |q: f64| micros[((micros.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "handle_tap single calls ({SAMPLES}, {label}): p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
        at(0.50),
        at(0.99),
        at(1.0)
    );
}

fn benches(c: &mut Criterion) {
    let (_dir, store, ndef) = prefilled();
    let first = store.handle_tap(NdefInput::Bytes(&ndef), now(), None).unwrap();
    assert!(matches!(first.outcome, TapOutcome::Open { .. }), "{first:?}");
    percentiles(
        "the store's setting: WAL checkpoint every 10,000 pages",
        &store,
        &ndef,
    );
    let set_checkpoint = |pages: i64| {
        store
            .write(|tx| {
                tx.pragma_update(None, "wal_autocheckpoint", pages)
                    .map_err(StoreError::from)
            })
            .unwrap()
    };
    set_checkpoint(1_000);
    percentiles(
        "for comparison, SQLite's default: every 1,000 pages",
        &store,
        &ndef,
    );
    set_checkpoint(10_000);
    c.bench_function("handle_tap_signed_card_1m_events", |b| {
        b.iter(|| black_box(store.handle_tap(NdefInput::Bytes(&ndef), now(), None).unwrap()))
    });
}

criterion_group! {
    name = tap;
    config = Criterion::default().sample_size(100);
    targets = benches
}
criterion_main!(tap);
