//! `late_entry`, `entry_burst`, `night_entry`: when the visit was entered, among the rep's other entries.
//!
//! A visit typed in long after it happened, in a run of entries seconds apart, or late at night is how dummy
//! calls made to meet a call count tend to be entered. Each is weak alone (reps do catch up in the evening, and
//! paste notes from a memo app one after another), so each weighs little; together they weigh a lot.

use chrono::{Duration, NaiveDate, NaiveDateTime, Timelike};

use crate::{
    calendar,
    validate::{past, Code, Context, Detail, Finding, RuleSettings},
    visit::VisitFields,
};

pub fn check(f: &VisitFields, ctx: &Context, out: &mut Vec<Finding>) {
    let Some(start) = f.started_at else { return };
    // Days and hours in the rep's zone, whatever offset the start was written with.
    let start = crate::local_time::local(&start, ctx.zone);
    let entered = crate::local_time::local(&ctx.entered_at, ctx.zone);
    late(start, entered, ctx, out);
    burst(ctx, out);
    let minute = entered.hour() * 60 + entered.minute();
    if ctx.rules.is_night(minute) {
        let clock = Detail::Clock(entered.format("%H:%M").to_string());
        let depth = night_depth(minute, &ctx.rules);
        out.push(Finding::new(Code::NightEntry, "/started_at", &clock).with_strength(depth));
    }
}

/// The last local day on which a visit of `day` may be entered: `n` working days later.
fn deadline(day: NaiveDate, n: u32) -> NaiveDate {
    let mut last = day;
    let mut left = n;
    // A bounded walk: 60 calendar days hold far more than any sensible allowance of working days.
    for _ in 0..60 {
        if left == 0 {
            break;
        }
        match last.succ_opt() {
            Some(next) => last = next,
            None => break,
        }
        if calendar::is_working_day(last) {
            left -= 1;
        }
    }
    last
}

fn late(start: NaiveDateTime, entered: NaiveDateTime, ctx: &Context, out: &mut Vec<Finding>) {
    let allowed = ctx.rules.late_entry_working_days;
    let day = start.date();
    // An entry in the small hours still belongs to the evening before.
    let entry_day = entered
        .checked_sub_signed(Duration::hours(5))
        .unwrap_or(entered)
        .date();
    if entry_day > deadline(day, allowed) {
        let days = (entered.date() - day).num_days();
        let detail = Detail::Late {
            days,
            allowed: allowed.into(),
        };
        // Two weeks past the allowance is clear (strength 0.9).
        let strength = past(days as f64, f64::from(allowed), f64::from(allowed) + 14.0);
        out.push(Finding::new(Code::LateEntry, "/started_at", &detail).with_strength(strength));
    }
}

/// The run of the rep's entries, this one included, each within `burst_gap_s` of the next.
fn burst(ctx: &Context, out: &mut Vec<Finding>) {
    let gap_ms = i64::from(ctx.rules.burst_gap_s) * 1000;
    let own = ctx.entered_at.timestamp_millis();
    let mut times: Vec<i64> = ctx.entries.iter().map(|e| e.entered_ms).collect();
    times.sort_unstable();
    let split = times.partition_point(|t| *t <= own);
    let (before, after) = times.split_at(split);
    let mut count = 1i64;
    let mut widest = 0i64;
    let mut edge = own;
    for t in before.iter().rev() {
        if edge - t > gap_ms {
            break;
        }
        widest = widest.max(edge - t);
        edge = *t;
        count += 1;
    }
    edge = own;
    for t in after {
        if t - edge > gap_ms {
            break;
        }
        widest = widest.max(t - edge);
        edge = *t;
        count += 1;
    }
    let min = i64::from(ctx.rules.burst_min_visits.max(2));
    if count >= min {
        let gap_s = (widest + 999) / 1000;
        let detail = Detail::Burst { count, gap_s };
        // Longer runs, and entries closer together than the allowed gap, are clearer: six more entries than the
        // minimum, or entries seconds apart.
        let longer = past(count as f64, min as f64, (min + 6) as f64);
        let closer = past(gap_s as f64, f64::from(ctx.rules.burst_gap_s), 0.0);
        let finding = Finding::new(Code::EntryBurst, "/started_at", &detail);
        out.push(finding.with_strength((longer + closer) / 2.0));
    }
}

/// How deep into the night a local minute of the day lies: 0 at its start, 0.9 three hours in.
pub(super) fn night_depth(minute: u32, rules: &RuleSettings) -> f64 {
    let Some(start) = rules.night_start_min() else {
        return 0.0;
    };
    let into = (minute + 24 * 60 - start) % (24 * 60);
    past(f64::from(into), 0.0, 180.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_skips_weekends_and_holidays() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        // Friday 2026-11-20: Monday 23rd is 勤労感謝の日, so two working days end on Wednesday 25th.
        assert_eq!(deadline(day(11, 20), 2), day(11, 25));
        assert_eq!(deadline(day(11, 20), 0), day(11, 20));
    }

    #[test]
    fn the_night_deepens_for_three_hours_across_midnight() {
        let rules = RuleSettings::default();
        let start = rules.night_start_min().unwrap();
        assert_eq!(night_depth(start, &rules), 0.0);
        assert!(night_depth(start + 90, &rules) < night_depth(start + 180, &rules));
        assert!((night_depth(start + 180, &rules) - 0.9).abs() < 1e-9);
    }
}
