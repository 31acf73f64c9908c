//! Fabrications: how many, of which pattern, by which rep, and the helpers that slip a fabricated visit into a
//! genuine day (a slot that genuine travel allows, typed in with the day's other visits). The patterns are in
//! `fake_visit` (single visits) and `fake_day` (whole days, late entries). Each is obvious or subtle, labelled.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{
    content, entry, fake_day, fake_visit,
    plan::{self, World},
    schedule::travel_min,
    Draft, PATTERNS,
};
use mrc_audit::evaluate::Label;
use mrc_core::visit::{Channel, VisitFields};

use crate::rng::Rng;

/// The label of a fabricated visit.
pub(super) fn label(pattern: &str, subtle: bool) -> Label {
    Label {
        fabricated: true,
        pattern: Some(pattern.to_owned()),
        subtle: Some(subtle),
        ..Label::default()
    }
}

/// Adds fabrications until they make up `rate` of all visits, spread over the reps by their propensity and
/// evenly over the patterns.
pub(super) fn fabricate(rng: &mut Rng, world: &World, drafts: &mut Vec<Draft>, rate: f64) {
    let target = (rate / (1.0 - rate) * drafts.len() as f64).round() as usize;
    let mut weights: Vec<f64> = world.reps.iter().map(|r| r.habit.propensity).collect();
    if weights.iter().all(|w| *w <= 0.0) {
        weights = vec![1.0; world.reps.len()];
    }
    let mut per_pattern = [0usize; PATTERNS.len()];
    let mut tries = 0;
    while drafts.iter().filter(|d| d.label.fabricated).count() < target && tries < 40 + target * 20 {
        tries += 1;
        let Some(r) = rng.weighted(&weights) else { return };
        let least = per_pattern.iter().copied().min().unwrap_or(0);
        let open: Vec<usize> = (0..PATTERNS.len()).filter(|p| per_pattern[*p] == least).collect();
        let p = open[rng.index(open.len())];
        let subtle = rng.chance(world.params.subtle_share);
        per_pattern[p] += match p {
            0 => fake_visit::copied(rng, world, drafts, r, subtle),
            1 => fake_day::burst(rng, world, drafts, r, subtle),
            2 => fake_day::late(rng, world, drafts, r, subtle),
            3 => fake_visit::travel(rng, world, drafts, r, subtle),
            4 => fake_day::round(rng, world, drafts, r, subtle),
            5 => fake_visit::off_hours(rng, world, drafts, r, subtle),
            6 => fake_visit::no_tap(rng, world, drafts, r, subtle),
            _ => fake_visit::frequency(rng, world, drafts, r, subtle),
        };
    }
}

/// The rep's visits on `date`, as (start, end, institution, in person), in start order.
pub(super) fn day_of(
    world: &World,
    drafts: &[Draft],
    r: usize,
    date: NaiveDate,
) -> Vec<(u32, u32, usize, bool)> {
    let mut day: Vec<_> = (drafts.iter())
        .filter(|d| d.rep == r && d.date == date)
        .map(|d| {
            (
                d.start,
                d.start + d.minutes,
                world.hcp_site[d.hcp],
                d.channel == Channel::InPerson,
            )
        })
        .collect();
    day.sort_unstable();
    day
}

/// A start for a `minutes`-long visit at `site` that genuine travel allows, between the day's visits.
pub(super) fn free_slot(
    rng: &mut Rng,
    world: &World,
    drafts: &[Draft],
    r: usize,
    date: NaiveDate,
    site: usize,
    minutes: u32,
) -> Option<u32> {
    let day = day_of(world, drafts, r, date);
    let trip = |other: usize| {
        if other == site {
            3
        } else {
            travel_min(plan::km(world, other, site))
        }
    };
    let mut options = Vec::new();
    for k in 0..=day.len() {
        let lo = match k.checked_sub(1).and_then(|i| day.get(i)) {
            Some(_) => {
                let prev_end = day[k - 1].1;
                let last_ip = day[..k].iter().rev().find(|v| v.3);
                last_ip.map_or(prev_end + 5, |v| (prev_end + 5).max(v.1 + trip(v.2)))
            }
            None => 9 * 60,
        };
        let hi = match day.get(k) {
            Some(next) => {
                let next_ip = day[k..].iter().find(|v| v.3);
                let limit = next_ip.map_or(next.0, |v| next.0.min(v.0.saturating_sub(trip(v.2))));
                limit.saturating_sub(5 + minutes)
            }
            None => (18 * 60u32).saturating_sub(minutes),
        };
        if lo <= hi {
            options.push(lo + rng.below(u64::from(hi - lo) + 1) as u32);
        }
    }
    (!options.is_empty()).then(|| options[rng.index(options.len())])
}

/// A fabricated in-person visit to `hcp` at `start`, with content but no tap, entered soon after.
pub(super) fn make(
    rng: &mut Rng,
    world: &World,
    r: usize,
    hcp: usize,
    date: NaiveDate,
    start: u32,
    label: Label,
) -> Draft {
    let mut d = Draft {
        rep: r,
        hcp,
        channel: Channel::InPerson,
        date,
        start,
        minutes: 0,
        fields: VisitFields::default(),
        taps: Vec::new(),
        entered: None,
        label,
    };
    d.minutes = super::schedule::duration(rng, &world.reps[r].habit, Channel::InPerson);
    content::fill(rng, world, &mut d, &mut HashMap::new());
    entry::immediately(rng, std::slice::from_mut(&mut d));
    d
}

/// Inserts a fabricated visit to a doctor of the rep's on a random working day; returns it if one fits.
pub(super) fn insert(
    rng: &mut Rng,
    world: &World,
    drafts: &mut Vec<Draft>,
    r: usize,
    hcp: Option<usize>,
    after: Option<NaiveDate>,
    label: Label,
) -> Option<usize> {
    let plan = world.reps.get(r)?;
    for _ in 0..12 {
        let date = world.days[rng.index(world.days.len())];
        if after.is_some_and(|a| date <= a) {
            continue;
        }
        let h = hcp.unwrap_or_else(|| plan.hcps[rng.index(plan.hcps.len())]);
        if drafts.iter().any(|d| d.rep == r && d.date == date && d.hcp == h) {
            continue;
        }
        let mut d = make(rng, world, r, h, date, 0, label.clone());
        if let Some(start) = free_slot(rng, world, drafts, r, date, world.hcp_site[h], d.minutes) {
            d = make(rng, world, r, h, date, start, label);
            enter_like_the_day(rng, drafts, &mut d);
            drafts.push(d);
            return Some(drafts.len() - 1);
        }
    }
    None
}

/// A fabricated visit slipped into a day is typed in with the day's other visits: into the day's session if
/// the rep typed the day in at once, else soon after it.
pub(super) fn enter_like_the_day(rng: &mut Rng, drafts: &[Draft], d: &mut Draft) {
    let day: Vec<&Draft> = drafts
        .iter()
        .filter(|x| x.rep == d.rep && x.date == d.date && !x.label.fabricated)
        .collect();
    let last_end = day.iter().map(|x| x.start + x.minutes).max().unwrap_or(0);
    let first_entry = day.iter().filter_map(|x| x.entered).min();
    let session = first_entry.is_some_and(|t| t >= super::at(d.date, i64::from(last_end)).to_utc());
    if !session {
        return;
    }
    let before = day
        .iter()
        .filter(|x| x.start < d.start)
        .filter_map(|x| x.entered)
        .max();
    let anchor = before.or(first_entry.map(|t| t - chrono::Duration::seconds(120)));
    if let Some(t) = anchor {
        d.entered = Some(t + chrono::Duration::seconds(rng.range(20, 90) as i64));
    }
}
