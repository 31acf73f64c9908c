//! Fabricated visits slipped into genuine days: copied notes, an impossible trip, a visit on a day off or at
//! night, materials "shown" with no tap, one doctor visited far too often.

use chrono::{Datelike, NaiveDate, Weekday};

use super::{
    content, edit,
    fake::{day_of, enter_like_the_day, insert, label, make},
    plan::{self, Cadence, World},
    Draft,
};
use mrc_core::visit::Channel;

use crate::rng::Rng;

pub(super) fn copied(rng: &mut Rng, world: &World, drafts: &mut Vec<Draft>, r: usize, subtle: bool) -> usize {
    let sources: Vec<usize> = (0..drafts.len())
        .filter(|i| {
            drafts[*i].rep == r
                && !drafts[*i].label.fabricated
                && drafts[*i].fields.notes.chars().count() >= 40
        })
        .collect();
    if sources.is_empty() {
        return 0;
    }
    let src = drafts[sources[rng.index(sources.len())]].clone();
    let same = rng.chance(if subtle { 0.3 } else { 0.5 });
    let Some(i) = insert(
        rng,
        world,
        drafts,
        r,
        same.then_some(src.hcp),
        Some(src.date),
        label("copied_notes", subtle),
    ) else {
        return 0;
    };
    let surname = |h: usize| {
        world
            .master
            .hcps
            .get(h)
            .and_then(|x| x.name.split(' ').next())
            .unwrap_or("")
            .to_owned()
    };
    let (from, to) = (surname(src.hcp), surname(drafts[i].hcp));
    let fresh = drafts[i].fields.notes.clone();
    drafts[i].fields.notes = edit::disguise(rng, &src.fields.notes, (&from, &to), &fresh, subtle);
    if src.entered >= drafts[i].entered {
        drafts.remove(i);
        return 0;
    }
    1
}

pub(super) fn no_tap(rng: &mut Rng, world: &World, drafts: &mut Vec<Draft>, r: usize, subtle: bool) -> usize {
    for _ in 0..6 {
        let Some(i) = insert(rng, world, drafts, r, None, None, label("no_tap", subtle)) else {
            return 0;
        };
        let wanted = if subtle { 1 } else { 2 };
        if drafts[i].fields.materials_shown.len() >= wanted {
            drafts[i].fields.materials_shown.truncate(wanted);
            return 1;
        }
        let products: Vec<usize> = (drafts[i].fields.products.iter())
            .filter_map(|p| world.master.products.iter().position(|x| x.id == p.product_id))
            .collect();
        let picked = content::pick_materials(rng, world, &products, drafts[i].date, wanted);
        if picked.len() == wanted {
            drafts[i].fields.materials_shown = picked
                .iter()
                .map(|m| mrc_core::visit::MaterialShown {
                    material_id: m.id.clone(),
                    version: m.version,
                })
                .collect();
            drafts[i].fields.normalize();
            return 1;
        }
        drafts.remove(i);
    }
    0
}

pub(super) fn travel(rng: &mut Rng, world: &World, drafts: &mut Vec<Draft>, r: usize, subtle: bool) -> usize {
    let (near, far) = if subtle { (4.0, 9.0) } else { (15.0, 80.0) };
    for _ in 0..20 {
        let anchors: Vec<&Draft> = drafts
            .iter()
            .filter(|d| d.rep == r && d.channel == Channel::InPerson && !d.label.fabricated)
            .collect();
        if anchors.is_empty() {
            return 0;
        }
        let a = anchors[rng.index(anchors.len())];
        let (date, site, end) = (a.date, world.hcp_site[a.hcp], a.start + a.minutes);
        let candidates: Vec<usize> = (0..world.master.hcps.len())
            .filter(|h| (near..far).contains(&plan::km(world, site, world.hcp_site[*h])))
            .collect();
        if candidates.is_empty() {
            continue;
        }
        let h = candidates[rng.index(candidates.len())];
        let start = end + rng.range(3, 8) as u32;
        let mut d = make(rng, world, r, h, date, start, label("travel_infeasible", subtle));
        d.minutes = d.minutes.min(15);
        let day = day_of(world, drafts, r, date);
        let next = day.iter().find(|v| v.0 >= end).map_or(18 * 60, |v| v.0);
        if start + d.minutes + 2 > next || start + d.minutes > 18 * 60 {
            continue;
        }
        d.fields.duration_min = Some(d.minutes);
        d.fields.started_at = Some(super::at(date, i64::from(start)));
        enter_like_the_day(rng, drafts, &mut d);
        drafts.push(d);
        return 1;
    }
    0
}

pub(super) fn off_hours(
    rng: &mut Rng,
    world: &World,
    drafts: &mut Vec<Draft>,
    r: usize,
    subtle: bool,
) -> usize {
    let Some(plan) = world.reps.get(r) else { return 0 };
    let (Some(first), Some(last)) = (world.days.first(), world.days.last()) else {
        return 0;
    };
    let span = (*last - *first).num_days().max(1) as u64;
    let h = plan.hcps[rng.index(plan.hcps.len())];
    let (date, start) = if rng.chance(0.5) {
        let wanted = |d: NaiveDate| {
            if subtle {
                d.weekday() == Weekday::Sat
            } else {
                d.weekday() == Weekday::Sun
                    || (d.weekday() != Weekday::Sat && mrc_core::calendar::is_holiday(d))
            }
        };
        let days: Vec<NaiveDate> = (0..=span)
            .filter_map(|k| first.checked_add_days(chrono::Days::new(k)))
            .filter(|d| wanted(*d))
            .collect();
        if days.is_empty() {
            return 0;
        }
        (days[rng.index(days.len())], 10 * 60 + rng.below(360) as u32)
    } else {
        let start = if subtle {
            22 * 60 + rng.below(40) as u32
        } else {
            23 * 60 + rng.below(50) as u32
        };
        (world.days[rng.index(world.days.len())], start)
    };
    drafts.push(make(rng, world, r, h, date, start, label("off_hours", subtle)));
    1
}

pub(super) fn frequency(
    rng: &mut Rng,
    world: &World,
    drafts: &mut Vec<Draft>,
    r: usize,
    subtle: bool,
) -> usize {
    let Some(plan) = world.reps.get(r) else { return 0 };
    let pool: Vec<usize> = (0..plan.hcps.len())
        .filter(|s| matches!(plan.cadence[*s], Cadence::Weekly(_)) == subtle)
        .collect();
    if pool.is_empty() {
        return 0;
    }
    let h = plan.hcps[pool[rng.index(pool.len())]];
    // Extra visits every month of the period: a padded doctor is padded month after month.
    let months = (world.days.len() as f64 / 20.0).max(1.0);
    let per_month = if subtle { 3.0 } else { rng.range(8, 10) as f64 };
    let extra = (per_month * months).round() as usize;
    (0..extra)
        .filter(|_| {
            insert(
                rng,
                world,
                drafts,
                r,
                Some(h),
                None,
                label("hcp_frequency", subtle),
            )
            .is_some()
        })
        .count()
}
