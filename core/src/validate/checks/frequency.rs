//! `hcp_frequency`: one doctor visited far more often than a weekly key-doctor rhythm explains.
//!
//! Key opinion leaders are seen weekly (four or five visits in four weeks); the default maximum of six in 28 days
//! leaves room for one extra follow-up. A rep whose territory is small sees every doctor often: against their own
//! cadence (the upper quartile of their per-doctor counts), a doctor is too often only past 150 % of it. The count is
//! that of the busiest window containing the visit, so the audit's hindsight, which also sees the visits after it,
//! judges the whole month.

use crate::{
    validate::{past, Code, Context, Detail, Finding},
    visit::VisitFields,
};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

pub fn check(f: &VisitFields, ctx: &Context, out: &mut Vec<Finding>) {
    let (Some(start), Some(_)) = (f.started_at, f.hcp_id.as_deref()) else {
        return;
    };
    let s = start.timestamp_millis();
    let window = i64::from(ctx.rules.hcp_frequency_days.max(1)) * DAY_MS;
    // The busiest window of that many days that contains this visit.
    let mut all: Vec<i64> = ctx.hcp_visits.clone();
    all.push(s);
    all.sort_unstable();
    let count = (all.iter())
        .filter(|a| **a <= s && s - **a < window)
        .map(|a| all.iter().filter(|t| **t >= *a && **t - *a < window).count())
        .max()
        .unwrap_or(1) as i64;
    let usual = u64::from(ctx.usual_doctor_count) * u64::from(ctx.rules.hcp_frequency_cadence_percent);
    let cadence_max = i64::try_from(usual.div_ceil(100)).unwrap_or(i64::MAX);
    let max = i64::from(ctx.rules.hcp_frequency_max).max(cadence_max);
    if count > max {
        let detail = Detail::Frequency {
            count,
            days: ctx.rules.hcp_frequency_days.into(),
            max,
        };
        // Twice the maximum is clear (strength 0.9).
        let strength = past(count as f64, max as f64, 2.0 * max as f64);
        out.push(Finding::new(Code::HcpFrequency, "/hcp_id", &detail).with_strength(strength));
    }
}
