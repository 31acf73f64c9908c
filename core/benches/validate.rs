//! Validating one visit (the form calls this on every keystroke) against the seeded territory, with 1k and 10k
//! past visits of the rep; the duplicate-notes check compares against the rep's latest 1,000 notes.
//!
//! Run: `cargo bench -p mrc-core --bench validate`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use chrono::{DateTime, Duration};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use mrc_core::{visit::VisitFilter, Store};
use mrc_sample::SeedConfig;

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("validate_visit");
    // ~1,435 visits (1 year) and ~10,000 visits (7 years) of one rep.
    for (label, days) in [("1k_past_visits", 365), ("10k_past_visits", 2555)] {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("territory.db")).unwrap();
        let config = SeedConfig {
            days,
            ..SeedConfig::default()
        };
        let summary = mrc_sample::seed(&store, &config).unwrap();
        let now = DateTime::parse_from_rfc3339(&format!("{}T18:30:00+09:00", config.end)).unwrap();
        let last = store
            .list_visits(&VisitFilter::Today { now: now.to_utc() })
            .unwrap();
        let mut form = last.first().expect("visits on the last day").fields.clone();
        // A new visit later that evening with a fresh ~150-character note, as the form sends it.
        form.started_at = Some(now - Duration::minutes(20));
        form.notes = format!(
            "{}。追加で腎機能の質問あり。",
            form.notes.chars().rev().collect::<String>()
        );
        group.bench_with_input(BenchmarkId::new(label, summary.visits), &form, |b, form| {
            b.iter(|| black_box(store.validate(None, form, None, now.to_utc()).unwrap()))
        });
    }
    group.finish();
}

criterion_group! {
    name = validate;
    config = Criterion::default().sample_size(100);
    targets = benches
}
criterion_main!(validate);
