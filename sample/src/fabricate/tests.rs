//! Tests of the labeled month: deterministic, complete, the rate, every pattern and look-alike present.

use std::collections::BTreeSet;

use super::*;

#[test]
fn a_month_is_deterministic_and_labelled() {
    let config = FabricateConfig::default();
    let month = generate_labeled(&config);
    assert_eq!(month, generate_labeled(&config));
    let n = month.visits.len();
    assert!((300..=600).contains(&n), "{n} visits");
    let fabricated = month.visits.iter().filter(|v| v.label.fabricated).count();
    let share = fabricated as f64 / n as f64;
    assert!((0.10..=0.22).contains(&share), "{share}");
    let patterns: BTreeSet<_> = month
        .visits
        .iter()
        .filter_map(|v| v.label.pattern.clone())
        .collect();
    assert_eq!(patterns.len(), PATTERNS.len(), "{patterns:?}");
    let looks: BTreeSet<_> = month
        .visits
        .iter()
        .filter_map(|v| v.label.look_alike.clone())
        .collect();
    for look in [
        "memo_paste",
        "follow_up",
        "kol_weekly",
        "same_building",
        "tap_failed",
    ] {
        assert!(looks.contains(look), "{look} in {looks:?}");
    }
    let ids: BTreeSet<_> = month.visits.iter().map(|v| v.visit.id).collect();
    assert_eq!(ids.len(), n);
    assert!(month.visits.iter().all(|v| v.visit.entered_at.is_some()));
}

#[test]
fn randomized_worlds_are_deterministic_and_held_out_ones_differ_from_tuning() {
    let fixed = FabricateConfig::default();
    let held_out = FabricateConfig {
        domain: Domain::HeldOut,
        ..fixed
    };
    let tuning = FabricateConfig {
        domain: Domain::Tuning,
        ..fixed
    };
    let month = generate_labeled(&held_out);
    assert_eq!(month, generate_labeled(&held_out), "same seed, same month");
    assert_ne!(month, generate_labeled(&tuning));
    // Held-out territories are 20–45 % of the configured doctors: the same doctors are seen far more often.
    let doctors = |m: &LabeledMonth| m.master.hcps.len();
    assert!(
        doctors(&month) * 2 < doctors(&generate_labeled(&fixed)),
        "{}",
        doctors(&month)
    );
    let fabricated = month.visits.iter().filter(|v| v.label.fabricated).count();
    assert!(fabricated > 20, "still a labeled month: {fabricated} fabricated");
}
