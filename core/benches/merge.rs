//! Applying one pushed change to a visit document, as the sync server does for every edited visit: one sentence
//! appended to notes of growing length (automerge 0.12 walks the whole note to place it, ADR 0016).
//!
//! Run: `cargo bench -p mrc-core --bench merge`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use automerge::ActorId;
use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use mrc_core::{
    visit::{VisitDoc, VisitFields},
    VisitId,
};

/// A saved document whose notes hold `sentences` appended sentences, the next change, and the notes' length then.
fn document_and_next_change(sentences: usize) -> (Vec<u8>, Vec<u8>, usize) {
    let entered = Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, 0).unwrap();
    let fields = VisitFields {
        rep_id: Some("REP-001".into()),
        notes: "初回訪問。".into(),
        ..VisitFields::default()
    };
    let mut device = VisitDoc::create(
        ActorId::from([1u8; 16].as_slice()),
        VisitId::new_v7(),
        &fields,
        entered,
    )
    .unwrap();
    let sentence =
        |s: usize| format!("追記{s}：腎機能低下例での用量について質問があり、次回資料を持参する。");
    for s in 0..sentences {
        let at = device.notes().unwrap().chars().count();
        device.splice_notes(at, 0, &sentence(s)).unwrap();
        device.commit(entered + chrono::Duration::minutes(s as i64 + 1));
    }
    let stored = device.save();
    let before = device.head_hashes();
    let at = device.notes().unwrap().chars().count();
    device.splice_notes(at, 0, &sentence(sentences)).unwrap();
    device.commit(entered + chrono::Duration::days(1));
    let chars = device.notes().unwrap().chars().count();
    (stored, device.save_after(&before), chars)
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("apply_one_change");
    for sentences in [0, 10, 20] {
        let (stored, change, chars) = document_and_next_change(sentences);
        group.bench_with_input(BenchmarkId::new("notes_chars", chars), &change, |b, change| {
            b.iter_batched(
                || VisitDoc::load(&stored, ActorId::from([9u8; 16].as_slice())).unwrap(),
                |mut doc| black_box(doc.apply_changes(change).unwrap()),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

criterion_group!(merge, benches);
criterion_main!(merge);
