//! Store benchmarks on the seeded 1-year territory (1 rep, 300 HCPs, 40 institutions, ~6 visits a working day):
//! open + list today (cold open), add a visit, a notes edit, merging a replica's change.
//!
//! Run: `cargo bench -p mrc-core --bench store`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use chrono::{DateTime, Utc};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use mrc_core::{
    visit::{VisitDoc, VisitFilter},
    Store,
};
use mrc_sample::SeedConfig;

fn seeded() -> (tempfile::TempDir, std::path::PathBuf, SeedConfig) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("territory.db");
    let config = SeedConfig::default();
    let store = Store::open(&path).unwrap();
    mrc_sample::seed(&store, &config).unwrap();
    (dir, path, config)
}

fn benches(c: &mut Criterion) {
    let (_dir, path, config) = seeded();
    let now = DateTime::parse_from_rfc3339(&format!("{}T12:00:00+09:00", config.end)).unwrap();

    c.bench_function("open_and_list_today_cold", |b| {
        b.iter(|| {
            let store = Store::open(&path).unwrap();
            black_box(
                store
                    .list_visits(&VisitFilter::Today { now: now.to_utc() })
                    .unwrap(),
            )
        })
    });

    let store = Store::open(&path).unwrap();
    let today = store
        .list_visits(&VisitFilter::Today { now: now.to_utc() })
        .unwrap();
    let template = today
        .first()
        .expect("the seeded end day has visits")
        .fields
        .clone();

    // Each added visit goes one day further back, so the store keeps a realistic ~6 visits a day around it
    // (adding thousands at the same minute would measure the overlap check against thousands of twins).
    let mut day = 0;
    c.bench_function("add_visit", |b| {
        b.iter_batched(
            || {
                day += 1;
                let mut form = template.clone();
                form.started_at = form.started_at.map(|t| t - chrono::Duration::days(day));
                form
            },
            |form| black_box(store.create_visit(&form).unwrap()),
            BatchSize::SmallInput,
        )
    });

    // A keystroke in a ~150-character note: insert a comma, then delete it, so the note keeps its size.
    let id = store.create_visit(&template).unwrap();
    let mut insert = true;
    c.bench_function("notes_edit_splice", |b| {
        b.iter(|| {
            if insert {
                store.splice_notes(id, 10, 0, black_box("、")).unwrap();
            } else {
                store.splice_notes(id, 10, 1, "").unwrap();
            }
            insert = !insert;
        })
    });

    // Another device's replica of a fresh visit makes one edit; merging it (parse the bytes, merge, store,
    // re-project). Each iteration merges into its own visit, as a sync does for each visit edited elsewhere.
    let mut back = 10_000;
    c.bench_function("merge_replica_change", |b| {
        b.iter_batched(
            || {
                back += 1;
                let mut form = template.clone();
                form.started_at = form.started_at.map(|t| t - chrono::Duration::days(back));
                let id = store.create_visit(&form).unwrap();
                let mut replica =
                    VisitDoc::load(&store.export_visit(id).unwrap(), automerge::ActorId::random()).unwrap();
                replica.splice_notes(0, 0, "電話で補足。").unwrap();
                replica.commit(Utc::now());
                (id, replica.save())
            },
            |(id, bytes)| black_box(store.merge_visit_into(id, &bytes).unwrap()),
            BatchSize::SmallInput,
        )
    });
}

criterion_group! {
    name = store;
    config = Criterion::default().sample_size(50);
    targets = benches
}
criterion_main!(store);
