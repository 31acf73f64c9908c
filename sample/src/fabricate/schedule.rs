//! The genuine month: each rep's working days, the doctors due that day along a route, realistic times with
//! travel between institutions (a building's two clinics minutes apart), then content and entry times.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{
    content, entry,
    plan::{self, Cadence, World},
    Draft,
};
use mrc_audit::evaluate::Label;
use mrc_core::visit::{Channel, VisitFields};

use crate::{day, rng::Rng};

/// The latest a day's visits end, minutes after midnight (18:30).
const DAY_END: u32 = 18 * 60 + 30;

/// Minutes a rep needs between two institutions `km` apart (door to door, parking, walking): slower than the
/// validator's rule of thumb, so genuine routes fit it.
pub(super) fn travel_min(km: f64) -> u32 {
    (6.0 + km / 22.0 * 60.0).ceil() as u32
}

pub(super) fn genuine_month(rng: &mut Rng, world: &World) -> Vec<Draft> {
    let mut out = Vec::new();
    let mut notes: HashMap<(usize, usize), String> = HashMap::new();
    let mut seen: HashMap<(usize, usize), NaiveDate> = HashMap::new();
    let Some(first) = world.days.first().copied() else {
        return out;
    };
    for (r, rep) in world.reps.iter().enumerate() {
        let mut prev: Option<NaiveDate> = None;
        for (i, day) in world.days.iter().enumerate() {
            let due: Vec<usize> = (0..rep.hcps.len())
                .filter(|slot| plan::due(rep.cadence[*slot], i, prev, *day, first))
                .collect();
            let recent = |h: usize| seen.get(&(r, h)).is_some_and(|d| (*day - *d).num_days() < 10);
            let mut drafts = day_plan(rng, world, r, *day, &due, &recent);
            for d in &drafts {
                seen.insert((r, d.hcp), *day);
            }
            for d in &mut drafts {
                content::fill(rng, world, d, &mut notes);
            }
            entry::genuine(rng, world, &mut drafts);
            out.extend(drafts);
            prev = Some(*day);
        }
    }
    out
}

/// A day's visits: the due doctors, topped up to a normal day, along a route, with times.
fn day_plan(
    rng: &mut Rng,
    world: &World,
    r: usize,
    date: NaiveDate,
    due: &[usize],
    recent: &dyn Fn(usize) -> bool,
) -> Vec<Draft> {
    let rep = &world.reps[r];
    let mut slots: Vec<usize> = due.to_vec();
    let wanted = rng.range(4, 7) as usize;
    for _ in 0..30 {
        if slots.len() >= wanted {
            break;
        }
        let slot = rng.index(rep.hcps.len());
        let weekly = matches!(rep.cadence.get(slot), Some(Cadence::Weekly(_)));
        if !slots.contains(&slot) && !weekly && !recent(rep.hcps[slot]) {
            slots.push(slot);
        }
    }
    while slots.len() > 9 {
        slots.remove(rng.index(slots.len()));
    }
    let site_of = |slot: usize| rep.hcps.get(slot).and_then(|h| world.hcp_site.get(*h)).copied();
    let key = |slot: usize| {
        let site = site_of(slot).unwrap_or(0);
        let building = world.building_mate[site].map_or(site, |m| m.min(site));
        (world.sites.get(site).map(|s| s.area), building, site)
    };
    slots.sort_by_key(|s| key(*s));
    let mut route: Vec<(usize, Option<&'static str>)> = Vec::new();
    for slot in slots {
        let kol = matches!(rep.cadence.get(slot), Some(Cadence::Weekly(_))).then_some("kol_weekly");
        route.push((rep.hcps[slot], kol));
        // Now and then the doctor of the clinic upstairs too, minutes later.
        let mate = site_of(slot).and_then(|s| world.building_mate[s]);
        if let Some(mate) = mate.filter(|_| rng.chance(0.5)) {
            let upstairs: Vec<usize> = (rep.hcps.iter().copied())
                .filter(|h| world.hcp_site[*h] == mate && !route.iter().any(|(x, _)| x == h) && !recent(*h))
                .collect();
            if !upstairs.is_empty() {
                route.push((upstairs[rng.index(upstairs.len())], Some("same_building")));
            }
        }
    }
    times(rng, world, r, date, &route, None)
}

/// Starts and durations (`fixed`, or drawn) along the route, from about 09:00, with travel, a lunch break, and
/// the rare start time rounded to ten minutes.
pub(super) fn times(
    rng: &mut Rng,
    world: &World,
    r: usize,
    date: NaiveDate,
    route: &[(usize, Option<&'static str>)],
    fixed: Option<u32>,
) -> Vec<Draft> {
    let habit = &world.reps[r].habit;
    let mut clock = if rng.chance(0.06) {
        8 * 60 + 15 + rng.below(30) as u32
    } else {
        9 * 60 + rng.below(35) as u32
    };
    let mut lunch = false;
    let mut last_in_person: Option<(usize, u32)> = None;
    let mut prev: Option<(usize, u32)> = None;
    let mut out = Vec::new();
    for (i, (hcp, tag)) in route.iter().enumerate() {
        let site = world.hcp_site[*hcp];
        let same_building = prev.is_some_and(|(p, _)| world.building_mate[p] == Some(site));
        let channel = if same_building || prev.is_some_and(|(p, _)| p == site) {
            Channel::InPerson
        } else {
            day::channel(rng)
        };
        let minutes = fixed.unwrap_or_else(|| duration(rng, habit, channel));
        if let Some((p, end)) = prev {
            clock = end
                + if p == site || same_building {
                    rng.range(1, 7)
                } else {
                    rng.range(5, 18)
                } as u32;
        }
        if channel == Channel::InPerson {
            if let Some((p, end)) =
                last_in_person.filter(|(p, _)| *p != site && world.building_mate[*p] != Some(site))
            {
                let need = travel_min(plan::km(world, p, site)) + rng.below(25) as u32;
                clock = clock.max(end + need);
            }
        }
        if !lunch && clock >= 12 * 60 {
            clock += rng.range(40, 65) as u32;
            lunch = true;
        }
        let mut start = clock;
        if rng.chance(0.03) {
            let rounded = (start + 5) / 10 * 10;
            if prev.is_none_or(|(_, end)| rounded >= end) {
                start = rounded;
            }
        }
        let evening = i + 1 == route.len() && rng.chance(0.04);
        if evening {
            start = start.max(18 * 60 + 45 + rng.below(40) as u32);
        } else if start + minutes > DAY_END {
            break;
        }
        let label = Label {
            look_alike: tag.map(str::to_owned),
            ..Label::default()
        };
        out.push(Draft {
            rep: r,
            hcp: *hcp,
            channel,
            date,
            start,
            minutes,
            fields: VisitFields::default(),
            taps: Vec::new(),
            entered: None,
            label,
        });
        prev = Some((site, start + minutes));
        if channel == Channel::InPerson {
            last_in_person = Some((site, start + minutes));
        }
        clock = start + minutes;
    }
    out
}

/// A realistic length: short in person, longer online; rounded as the rep habitually rounds.
pub(super) fn duration(rng: &mut Rng, habit: &plan::Habit, channel: Channel) -> u32 {
    let minutes = match channel {
        Channel::InPerson | Channel::Other => rng.range(5, 30).min(rng.range(5, 30)),
        Channel::Phone | Channel::Email => rng.range(3, 12),
        Channel::Video => rng.range(10, 25),
        Channel::WebMeeting => rng.range(15, 40),
    } as u32;
    if habit.rounder && rng.chance(0.9) {
        [10u32, 15, 20, 30]
            .into_iter()
            .min_by_key(|r| r.abs_diff(minutes))
            .unwrap_or(15)
    } else if rng.chance(habit.round_share) {
        ((minutes + 2) / 5 * 5).max(5)
    } else {
        minutes.max(3)
    }
}
