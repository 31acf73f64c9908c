//! The pre-visit screen: a doctor's profile and the pull-type suggestions, read from a 7-year territory of one rep
//! (our own generator's data, ~10,000 visits) whose visits carry the insights an MR accepting the core's proposals
//! records (`seed::accepted_insights`), for the doctor with the most visits.
//!
//! Run: `cargo bench -p mrc-core --bench profile`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{collections::HashMap, hint::black_box};

use chrono::{DateTime, NaiveDate};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use mrc_core::{visit::VisitFilter, Store};
use mrc_sample::{accepted_insights, SeedConfig};

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("territory.db")).unwrap();
    let config = SeedConfig {
        days: 2555,
        ..SeedConfig::default()
    };
    let summary = mrc_sample::seed(&store, &config).unwrap();
    let catalog = store.insight_catalog().unwrap();
    let from = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let mut visits = store
        .list_visits(&VisitFilter::Dates { from, to: config.end })
        .unwrap();
    visits.reverse();
    let mut per_doctor: HashMap<String, usize> = HashMap::new();
    for visit in &visits {
        let hcp = visit.fields.hcp_id.clone().unwrap_or_default();
        let nth = per_doctor.entry(hcp).or_default();
        let mut fields = visit.fields.clone();
        fields.insights = accepted_insights(&fields, *nth, &catalog);
        *nth += 1;
        store.update_visit(visit.id, &fields).unwrap();
    }
    let (doctor, count) = per_doctor.into_iter().max_by_key(|(_, n)| *n).unwrap();
    let now = DateTime::parse_from_rfc3339(&format!("{}T08:30:00+09:00", config.end))
        .unwrap()
        .to_utc();
    let profile = store.doctor_profile(&doctor).unwrap();
    let suggestions = store.pull_suggestions(&doctor, now).unwrap();
    eprintln!(
        "{} visits; doctor {doctor}: {count} visits, {} stages, {} open needs, {} open questions, {} pending safety \
         mentions, {} materials seen; {} suggestions",
        summary.visits,
        profile.stages.len(),
        profile.open_needs.len(),
        profile.open_questions.len(),
        profile.safety_pending.len(),
        profile.materials.len(),
        suggestions.len()
    );
    let mut group = c.benchmark_group("pre_visit_screen");
    group.bench_with_input(BenchmarkId::new("doctor_profile", count), &doctor, |b, doctor| {
        b.iter(|| black_box(store.doctor_profile(doctor).unwrap()))
    });
    group.bench_with_input(
        BenchmarkId::new("pull_suggestions", count),
        &doctor,
        |b, doctor| b.iter(|| black_box(store.pull_suggestions(doctor, now).unwrap())),
    );
    group.finish();
}

criterion_group! {
    name = profile;
    config = Criterion::default().sample_size(100);
    targets = benches
}
criterion_main!(profile);
