//! `duration_range`, `future_start`, `backdate_limit`, `clock_rollback`, `off_hours`, `holiday_visit`,
//! `night_visit`: the visit's own times.

use chrono::{Datelike, Duration, Timelike, Weekday};

use crate::{
    calendar,
    validate::{past, Code, Context, Detail, Finding, UNGRADED},
    visit::VisitFields,
};

pub fn check(f: &VisitFields, ctx: &Context, out: &mut Vec<Finding>) {
    let rules = &ctx.rules;
    if let Some(d) = f.duration_min {
        if d < rules.min_duration_min || d > rules.max_duration_min {
            let detail = Detail::Range {
                min: rules.min_duration_min.into(),
                max: rules.max_duration_min.into(),
            };
            out.push(Finding::new(Code::DurationRange, "/duration_min", &detail));
        }
    }
    if let Some(server) = ctx.trusted_server_time {
        // Checked arithmetic everywhere here: times come from input and may sit at the edge of the calendar.
        let tolerance = Duration::minutes(rules.clock_rollback_tolerance_min.into());
        if ctx.now.checked_add_signed(tolerance).is_some_and(|t| t < server) {
            out.push(Finding::new(Code::ClockRollback, "/started_at", &Detail::None));
        }
    }
    let Some(start) = f.started_at else { return };
    let skew = i64::from(rules.future_skew_min);
    if ctx
        .now
        .checked_add_signed(Duration::minutes(skew))
        .is_some_and(|limit| start > limit)
    {
        out.push(Finding::new(
            Code::FutureStart,
            "/started_at",
            &Detail::Limit(skew),
        ));
    }
    let days = i64::from(rules.backdate_days);
    if Duration::try_days(days)
        .and_then(|d| ctx.now.checked_sub_signed(d))
        .is_some_and(|limit| start < limit)
    {
        out.push(Finding::new(
            Code::BackdateLimit,
            "/started_at",
            &Detail::Limit(days),
        ));
    }
    // The rep's local time, whatever offset the start was written with.
    let local = crate::local_time::local(&start, ctx.zone);
    let day = local.date();
    let when = if rules.weekends_and_holidays_off && matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        Some(("週末", "on a weekend", UNGRADED))
    } else if rules.weekends_and_holidays_off && calendar::is_holiday(day) {
        Some(("祝日", "on a public holiday", UNGRADED))
    } else {
        let minute = i64::from(local.hour() * 60 + local.minute());
        let end = minute + i64::from(f.duration_min.unwrap_or(0));
        // Minutes outside working hours: two hours is clear (strength 0.9).
        let early = rules.work_start_min().map_or(0, |s| i64::from(s) - minute);
        let late = rules.work_end_min().map_or(0, |e| end - i64::from(e));
        let outside = early.max(late);
        (outside > 0).then(|| {
            (
                "勤務時間外",
                "outside working hours",
                past(outside as f64, 0.0, 120.0),
            )
        })
    };
    if let Some((ja, en, strength)) = when {
        let finding = Finding::new(Code::OffHours, "/started_at", &Detail::When { ja, en });
        out.push(finding.with_strength(strength));
    }
    // Beyond the notice above, a visit on a day off or at night is a strong sign it did not happen as recorded.
    if rules.weekends_and_holidays_off && !calendar::is_working_day(day) {
        let (ja, en) = if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            ("週末", "on a weekend")
        } else {
            ("祝日", "on a public holiday")
        };
        out.push(Finding::new(
            Code::HolidayVisit,
            "/started_at",
            &Detail::When { ja, en },
        ));
    }
    let minute = local.hour() * 60 + local.minute();
    let end = minute + f.duration_min.unwrap_or(0).min(24 * 60);
    let crosses = rules
        .night_start_min()
        .is_some_and(|night| minute < night && end > night);
    if rules.is_night(minute) || crosses {
        let clock = Detail::Clock(local.format("%H:%M").to_string());
        let depth = super::entry::night_depth(minute, rules);
        out.push(Finding::new(Code::NightVisit, "/started_at", &clock).with_strength(depth));
    }
}
