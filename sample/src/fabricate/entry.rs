//! When visits are typed in. Genuine reps enter a visit shortly after it, or type the day in from a memo app in
//! one evening session (a minute or two per visit, now and then a pause), or the next morning.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::{at, plan::World, Draft};
use crate::rng::Rng;

/// A standard normal draw (Box–Muller).
pub(super) fn normal(rng: &mut Rng) -> f64 {
    let u = rng.unit().max(1e-12);
    let v = rng.unit();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// Seconds between two entries of a memo-app session: about 75 s, rarely under half a minute, now and then a
/// pause of a few minutes.
pub(super) fn paste_gap(rng: &mut Rng) -> i64 {
    let gap = (75.0 * (0.55 * normal(rng)).exp()).max(25.0) as i64;
    if rng.chance(0.08) {
        gap + rng.range(120, 600) as i64
    } else {
        gap
    }
}

/// The working day `n` working days after `day`.
pub(super) fn working_day_after(day: NaiveDate, n: u32) -> NaiveDate {
    let mut d = day;
    let mut left = n;
    for _ in 0..60 {
        if left == 0 {
            break;
        }
        d = d.succ_opt().unwrap_or(d);
        if mrc_core::calendar::is_working_day(d) {
            left -= 1;
        }
    }
    d
}

/// Enters `drafts` one after another from `start`, `gap` seconds apart, tagging them `tag` if untagged.
pub(super) fn session(
    rng: &mut Rng,
    drafts: &mut [Draft],
    start: DateTime<Utc>,
    gap: impl Fn(&mut Rng) -> i64,
    tag: Option<&str>,
) {
    let mut t = start;
    for (i, d) in drafts.iter_mut().enumerate() {
        if i > 0 {
            t += Duration::seconds(gap(rng));
        }
        d.entered = Some(t);
        if let Some(tag) = tag.filter(|_| d.label.look_alike.is_none()) {
            d.label.look_alike = Some(tag.to_owned());
        }
    }
}

/// Each visit entered a few minutes to an hour after it ends, in order.
pub(super) fn immediately(rng: &mut Rng, drafts: &mut [Draft]) {
    let mut last: Option<DateTime<Utc>> = None;
    for d in drafts.iter_mut() {
        let end = at(d.date, i64::from(d.start + d.minutes)).to_utc();
        let mut t = end + Duration::seconds(rng.range(180, 3000) as i64);
        if let Some(prev) = last {
            t = t.max(prev + Duration::seconds(rng.range(90, 300) as i64));
        }
        d.entered = Some(t);
        last = Some(t);
    }
}

/// Genuine entry times for one rep's day (visits in start order).
pub(super) fn genuine(rng: &mut Rng, world: &World, drafts: &mut [Draft]) {
    let Some(first) = drafts.first() else { return };
    let Some(habit) = world.reps.get(first.rep).map(|r| r.habit.clone()) else {
        return;
    };
    let date = first.date;
    let last_end = drafts
        .iter()
        .map(|d| d.start + d.minutes)
        .max()
        .unwrap_or(18 * 60);
    let u = rng.unit();
    if u < habit.evening_share {
        let latest = habit.evening_latest.max(18 * 60 + 1);
        let begin = (18 * 60 + rng.below(u64::from(latest - 18 * 60)) as u32).max(last_end + 10);
        let start = at(date, i64::from(begin)).to_utc() + Duration::seconds(rng.below(60) as i64);
        session(rng, drafts, start, paste_gap, Some("memo_paste"));
    } else if u < habit.evening_share + habit.morning_share {
        let next = working_day_after(date, 1);
        let start = at(next, 7 * 60 + 30 + rng.below(80) as i64).to_utc();
        session(rng, drafts, start, paste_gap, Some("memo_paste"));
    } else if u < habit.evening_share + habit.morning_share + 0.015 {
        // A busy week: the day is caught up three working days later.
        let later = working_day_after(date, 3);
        let start = at(later, 19 * 60 + rng.below(90) as i64).to_utc();
        session(rng, drafts, start, paste_gap, Some("catch_up"));
    } else {
        immediately(rng, drafts);
    }
}
