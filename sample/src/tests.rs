//! Tests of the whole generator and of seeding a store.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Timelike, Weekday};

use super::*;
use mrc_core::master::MaterialStatus;

fn default_territory() -> Territory {
    generate(&SeedConfig::default())
}

#[test]
fn is_deterministic() {
    let config = SeedConfig::default();
    assert_eq!(generate(&config), generate(&config));
    let other = generate(&SeedConfig { seed: 7, ..config });
    assert_ne!(other.visits, generate(&config).visits);
}

#[test]
fn default_counts_are_in_range() {
    let t = default_territory();
    assert_eq!(
        (
            t.master.reps.len(),
            t.master.institutions.len(),
            t.master.hcps.len()
        ),
        (1, 40, 300)
    );
    assert_eq!(t.master.products.len(), 6);
    assert!(
        (18..=60).contains(&t.master.materials.len()),
        "{}",
        t.master.materials.len()
    );
    assert!(
        (1400..=1600).contains(&t.visits.len()),
        "{} visits",
        t.visits.len()
    );
    let rep = &t.master.reps[0];
    assert!((3..=5).contains(&rep.products.len()));
    assert!(t
        .master
        .institutions
        .iter()
        .all(|i| i.address.starts_with("神奈川県")));
}

#[test]
fn visits_are_complete_and_reference_master_data() {
    let t = default_territory();
    let m = &t.master;
    let ids = |v: Vec<&String>| v.into_iter().cloned().collect::<BTreeSet<String>>();
    let reps = ids(m.reps.iter().map(|r| &r.id).collect());
    let hcps: std::collections::BTreeMap<_, _> = m.hcps.iter().map(|h| (&h.id, &h.institution_id)).collect();
    let products = ids(m.products.iter().map(|p| &p.id).collect());
    let end = SeedConfig::default().end;
    let start = end - chrono::Days::new(364);
    let mut previous: Option<DateTime<chrono::FixedOffset>> = None;
    let mut notes = BTreeSet::new();
    for (v, entered_at) in &t.visits {
        assert!(reps.contains(v.rep_id.as_ref().unwrap()));
        let inst = hcps[v.hcp_id.as_ref().unwrap()];
        assert_eq!(v.institution_id.as_ref(), Some(inst));
        let started = v.started_at.unwrap();
        let minutes = v.duration_min.unwrap();
        assert_eq!(started.offset().local_minus_utc(), 9 * 3600);
        assert!(
            !matches!(started.weekday(), Weekday::Sat | Weekday::Sun),
            "{started}"
        );
        assert!((start..=end).contains(&started.date_naive()));
        let (begin, finish) = (
            started.hour() * 60 + started.minute(),
            started.hour() * 60 + started.minute() + minutes,
        );
        assert!(begin >= 9 * 60 && finish <= 18 * 60, "{started} + {minutes}");
        if let Some(prev) = previous.filter(|p| p.date_naive() == started.date_naive()) {
            assert!(prev < started);
        }
        previous = Some(started);
        assert!(
            *entered_at >= started.with_timezone(&Utc) + chrono::Duration::minutes(i64::from(minutes) + 5)
        );
        assert!((1..=3).contains(&v.products.len()));
        for (i, p) in v.products.iter().enumerate() {
            assert!(products.contains(&p.product_id) && p.priority == i as u32 + 1);
        }
        assert!(v.materials_shown.len() <= 2);
        for shown in &v.materials_shown {
            let mat = m
                .materials
                .iter()
                .find(|x| x.id == shown.material_id && x.version == shown.version)
                .unwrap();
            assert_eq!(mat.status, MaterialStatus::Approved);
            assert!(mat.valid_from <= started.date_naive() && started.date_naive() <= mat.valid_until);
            assert!(v.products.iter().any(|p| p.product_id == mat.product_id));
        }
        assert!(v.channel.is_some() && v.reaction.is_some());
        assert!(!v.next_objective.as_ref().unwrap().is_empty());
        let len = v.notes.chars().count();
        assert!((60..=300).contains(&len), "{len}: {}", v.notes);
        notes.insert(v.notes.clone());
    }
    assert!(
        notes.len() * 100 >= t.visits.len() * 98,
        "{} distinct notes",
        notes.len()
    );
}

#[test]
fn kana_readings_are_kana() {
    let t = default_territory();
    let kana = |c: char| matches!(c, '\u{3041}'..='\u{309F}' | '\u{30A0}'..='\u{30FF}' | ' ');
    for h in &t.master.hcps {
        assert!(h.kana.chars().all(kana), "{}", h.kana);
        assert_eq!(h.name.split(' ').count(), 2);
    }
    let names: BTreeSet<_> = t.master.hcps.iter().map(|h| &h.name).collect();
    assert_eq!(names.len(), t.master.hcps.len());
}

#[test]
fn materials_include_withdrawn_and_expired_versions() {
    let t = default_territory();
    let end = SeedConfig::default().end;
    let mats = &t.master.materials;
    assert!(mats.iter().any(|m| m.status == MaterialStatus::Withdrawn));
    assert!(mats
        .iter()
        .any(|m| m.status == MaterialStatus::Approved && m.valid_until < end));
    assert!(mats.iter().any(|m| m.valid_until == end + chrono::Days::new(365)));
    let ids: BTreeSet<_> = mats.iter().map(|m| (&m.id, m.version)).collect();
    assert_eq!(ids.len(), mats.len());
    assert!(mats
        .iter()
        .all(|m| (200 * 1024..=5 * 1024 * 1024).contains(&m.size)));
}

#[test]
fn odd_configs_do_not_panic() {
    let end = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    for (reps, hcps, institutions, days) in [(0, 10, 5, 30), (3, 0, 0, 30), (9, 5, 2, 10), (2, 50, 8, 0)] {
        let t = generate(&SeedConfig {
            reps,
            hcps,
            institutions,
            days,
            end,
            ..SeedConfig::default()
        });
        assert!(t
            .visits
            .iter()
            .all(|(v, _)| v.started_at.unwrap().date_naive() <= end));
    }
    let busy = generate(&SeedConfig {
        visits_per_day: 30.0,
        days: 20,
        ..SeedConfig::default()
    });
    assert!(!busy.visits.is_empty());
}

#[test]
fn seeds_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("seed.db")).unwrap();
    let summary = seed(&store, &SeedConfig::default()).unwrap();
    assert_eq!(store.visit_count().unwrap(), summary.visits as u64);
    assert!((1400..=1600).contains(&summary.visits));
    let counts = store.master_counts().unwrap();
    assert_eq!(
        (counts.hcps, counts.institutions, counts.materials),
        (300, 40, summary.materials as u64)
    );
    assert_eq!(
        summary.materials,
        generate(&SeedConfig::default()).master.materials.len()
    );
}
