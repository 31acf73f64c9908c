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
