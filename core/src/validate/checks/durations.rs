//! `round_duration_pattern`, `duration_run`: round durations that look typed rather than timed.
//!
//! Reps round durations, so one round value is only a pattern when it fills most of the rep's recent visits
//! (a weak sign), or when a run of consecutive visits of one day all last exactly the same round number of
//! minutes — the way a day that never happened is typed in — and the rep's own habit on other days makes such a
//! run unlikely: with `p` the (smoothed) share of that value among the rep's durations on other days, a run of
//! `k` has a chance of about `p^(k-1)`. A rep who rounds everything to 15 minutes is not flagged for a run of
//! fifteens; one who never rounds is, for four thirties in a row. Five-minute visits are the floor of a short
//! greeting, not a rounding, and are not judged.

use crate::{
    validate::{past, Code, Context, Detail, Finding},
    visit::VisitFields,
};

pub fn check(f: &VisitFields, ctx: &Context, out: &mut Vec<Finding>) {
    let (Some(start), Some(duration)) = (f.started_at, f.duration_min) else {
        return;
    };
    if duration == 0 || duration % 5 != 0 {
        return;
    }
    let day = crate::local_time::local_day(&start, ctx.zone);
    let run = same_day_run(day, start.timestamp_millis(), duration, ctx);
    let baseline = &ctx.baseline_durations;
    let same = baseline.iter().filter(|d| **d == duration).count();
    // One pseudo-visit in five with this value: a rep without history is judged as a moderate rounder.
    let p = (same as f64 + 1.0) / (baseline.len() as f64 + 5.0);
    let chance = p.powi(i32::try_from(run - 1).unwrap_or(i32::MAX));
    if duration >= 10
        && run >= i64::from(ctx.rules.duration_run_min.max(2))
        && chance <= ctx.rules.duration_run_max_chance
    {
        let detail = Detail::Run {
            minutes: duration.into(),
            count: run,
        };
        // A run as unlikely as the limit squared is clear (strength 0.9).
        let rarity = chance.ln() / ctx.rules.duration_run_max_chance.ln();
        out.push(
            Finding::new(Code::DurationRun, "/duration_min", &detail).with_strength(past(rarity, 1.0, 2.0)),
        );
    }
    let window = ctx.rules.duration_pattern_window as usize;
    if window >= 5 && ctx.recent_durations.len() + 1 >= window {
        let sample = &ctx.recent_durations[..window - 1];
        let same = sample.iter().filter(|&&d| d == duration).count() + 1;
        let percent = (same * 100 / window) as i64;
        if percent >= i64::from(ctx.rules.duration_pattern_percent) {
            let detail = Detail::Pattern {
                minutes: duration.into(),
                percent,
            };
            let threshold = f64::from(ctx.rules.duration_pattern_percent);
            let finding = Finding::new(Code::RoundDurationPattern, "/duration_min", &detail);
            out.push(finding.with_strength(past(percent as f64, threshold, 100.0)));
        }
    }
}

/// How many consecutive visits of the local `day`, this one included, last exactly `minutes`.
fn same_day_run(day: chrono::NaiveDate, start_ms: i64, minutes: u32, ctx: &Context) -> i64 {
    let mut day_visits: Vec<(i64, bool, Option<u32>)> = ctx
        .neighbours
        .iter()
        .filter(|n| n.local_date == Some(day))
        .map(|n| (n.start_ms, false, n.duration_min))
        .collect();
    day_visits.push((start_ms, true, Some(minutes)));
    day_visits.sort_by_key(|(start, me, _)| (*start, !*me));
    let Some(own) = day_visits.iter().position(|v| v.1) else {
        return 1;
    };
    let same = |v: &&(i64, bool, Option<u32>)| v.2 == Some(minutes);
    let before = day_visits[..own].iter().rev().take_while(same).count();
    let after = day_visits[own + 1..].iter().take_while(same).count();
    (before + after + 1) as i64
}
