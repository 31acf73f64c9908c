//! The reliability audit, end to end (reading JSON Lines, the replay through the store and validator, hindsight,
//! summary) on labeled data from the generator: a 3-rep month (~430 visits) and a 30-rep quarter (~12,000).
//!
//! Run: `cargo bench -p mrc-core --bench audit`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use mrc_audit as audit;
use mrc_core::validate::RuleSettings;
use mrc_sample::fabricate::{generate_labeled, FabricateConfig};

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("audit");
    group.sample_size(10);
    for (label, reps, days) in [("3_reps_month", 3, 30), ("30_reps_quarter", 30, 91)] {
        let config = FabricateConfig {
            reps,
            hcps: 100 * reps,
            institutions: 13 * reps + 1,
            days,
            seed: 2024,
            ..FabricateConfig::default()
        };
        let month = generate_labeled(&config);
        let lines = month.lines();
        let rules = RuleSettings::default();
        group.bench_with_input(BenchmarkId::new(label, month.visits.len()), &lines, |b, lines| {
            b.iter_batched(
                || tempfile::tempdir().unwrap(),
                |dir| {
                    let (visits, refused) = audit::parse_lines(lines.as_bytes());
                    let result =
                        audit::audit(dir.path(), &month.master, &rules, &visits, refused, 50).unwrap();
                    black_box(result.summary.team.flagged)
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(audit_benches, benches);
criterion_main!(audit_benches);
