//! Fabricated days and late entries: a day that never happened typed in one late-night burst seconds apart, a
//! day of visits that all last the same round number of minutes, and visits typed in weeks after the fact.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};

use super::{
    at, content, entry,
    fake::{free_slot, label, make},
    plan::World,
    schedule, Draft,
};
use crate::rng::Rng;

/// Replaces one of the rep's genuine days (not one already fabricated) with `k` fabricated visits to doctors of
/// one area, at realistic times (`fixed` minutes each, if given). Returns the day's new visits' range.
fn replace_day(
    rng: &mut Rng,
    world: &World,
    drafts: &mut Vec<Draft>,
    r: usize,
    k: usize,
    fixed: Option<u32>,
    label: &mrc_audit::evaluate::Label,
) -> Option<std::ops::Range<usize>> {
    let plan = world.reps.get(r)?;
    let usable: Vec<NaiveDate> = (world.days.iter().copied())
        .filter(|d| {
            !drafts
                .iter()
                .any(|x| x.rep == r && x.date == *d && x.label.fabricated)
        })
        .collect();
    let date = *usable.get(rng.index(usable.len()))?;
    drafts.retain(|x| !(x.rep == r && x.date == date));
    let focus = world.hcp_site[plan.hcps[rng.index(plan.hcps.len())]];
    let area = world.sites.get(focus).map(|s| s.area);
    let mut pool: Vec<usize> = (plan.hcps.iter().copied())
        .filter(|h| world.sites.get(world.hcp_site[*h]).map(|s| s.area) == area)
        .collect();
    let mut route = Vec::new();
    while route.len() < k && !pool.is_empty() {
        route.push((pool.swap_remove(rng.index(pool.len())), None));
    }
    route.sort_by_key(|(h, _)| world.hcp_site[*h]);
    let mut day = schedule::times(rng, world, r, date, &route, fixed);
    let mut notes = HashMap::new();
    for d in &mut day {
        d.label = label.clone();
        content::fill(rng, world, d, &mut notes);
    }
    let begin = drafts.len();
    drafts.extend(day);
    Some(begin..drafts.len())
}

/// A day that never happened, typed in one burst seconds apart: late at night (obvious: after 23:00, a few
/// seconds apart, sometimes days later), or subtle: from 22:00, 8–30 seconds apart.
pub(super) fn burst(rng: &mut Rng, world: &World, drafts: &mut Vec<Draft>, r: usize, subtle: bool) -> usize {
    let k = rng.range(4, 7) as usize;
    let Some(range) = replace_day(rng, world, drafts, r, k, None, &label("entry_burst", subtle)) else {
        return 0;
    };
    let Some(date) = drafts.get(range.start).map(|d| d.date) else {
        return 0;
    };
    let (day, minute, gap): (NaiveDate, i64, (u64, u64)) = if subtle {
        (date, 22 * 60 + 5 + rng.below(80) as i64, (8, 30))
    } else {
        let later = entry::working_day_after(date, rng.below(3) as u32);
        (later, 23 * 60 + 10 + rng.below(140) as i64, (2, 10))
    };
    let start = at(day, minute).to_utc();
    let n = range.len();
    entry::session(
        rng,
        &mut drafts[range],
        start,
        |rng| rng.range(gap.0, gap.1) as i64,
        None,
    );
    n
}

/// A day of visits that all last the same round duration: obvious 30 minutes on the hour or half hour, subtle
/// 15 or 20 minutes. Entered as genuine days are.
pub(super) fn round(rng: &mut Rng, world: &World, drafts: &mut Vec<Draft>, r: usize, subtle: bool) -> usize {
    let (k, minutes) = if subtle {
        (rng.range(4, 5) as usize, if rng.chance(0.5) { 15 } else { 20 })
    } else {
        (rng.range(5, 7) as usize, 30)
    };
    let Some(range) = replace_day(
        rng,
        world,
        drafts,
        r,
        k,
        Some(minutes),
        &label("round_durations", subtle),
    ) else {
        return 0;
    };
    if !subtle {
        let mut last_end = 0;
        for d in &mut drafts[range.clone()] {
            d.start = (d.start.div_ceil(30) * 30).max(last_end);
            last_end = d.start + d.minutes;
            d.fields.started_at = Some(at(d.date, i64::from(d.start)));
        }
    }
    let n = range.len();
    entry::genuine(rng, world, &mut drafts[range]);
    n
}

/// Visits that never happened, typed in weeks after the date they claim (obvious: 14–30 days, subtle: 8–12),
/// one after another in an evening.
pub(super) fn late(rng: &mut Rng, world: &World, drafts: &mut Vec<Draft>, r: usize, subtle: bool) -> usize {
    let Some(plan) = world.reps.get(r) else { return 0 };
    let date = world.days[rng.index(world.days.len())];
    let k = rng.range(1, 3) as usize;
    let mut made = Vec::new();
    for _ in 0..k * 3 {
        if made.len() >= k {
            break;
        }
        let h = plan.hcps[rng.index(plan.hcps.len())];
        if drafts.iter().any(|d| d.rep == r && d.date == date && d.hcp == h) {
            continue;
        }
        let probe = make(rng, world, r, h, date, 0, label("late_entry", subtle));
        if let Some(start) = free_slot(rng, world, drafts, r, date, world.hcp_site[h], probe.minutes) {
            drafts.push(make(rng, world, r, h, date, start, label("late_entry", subtle)));
            made.push(drafts.len() - 1);
        }
    }
    let days = if subtle {
        rng.range(8, 12)
    } else {
        rng.range(14, 30)
    };
    let evening = at(date, 19 * 60 + rng.below(120) as i64).to_utc() + Duration::days(days as i64);
    let mut t = evening;
    for i in &made {
        if let Some(d) = drafts.get_mut(*i) {
            d.entered = Some(t);
            t += Duration::seconds(entry::paste_gap(rng));
        }
    }
    made.len()
}
