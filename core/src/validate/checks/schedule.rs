//! `overlap`, `too_many_visits`: the visit among the rep's other visits of the day.

use crate::{
    validate::{context::Neighbour, Code, Context, Detail, Finding},
    visit::{Channel, VisitFields},
};

pub(super) const MINUTE_MS: i64 = 60_000;

fn synchronous(channel: Option<Channel>) -> bool {
    matches!(
        channel,
        Some(Channel::InPerson | Channel::Phone | Channel::Video | Channel::WebMeeting)
    )
}

pub(super) fn end_of(n: &Neighbour) -> i64 {
    n.start_ms + i64::from(n.duration_min.unwrap_or(0)) * MINUTE_MS
}

pub fn check(f: &VisitFields, ctx: &Context, out: &mut Vec<Finding>) {
    let (Some(start), Some(duration)) = (f.started_at, f.duration_min) else {
        return;
    };
    let s = start.timestamp_millis();
    let e = s + i64::from(duration) * MINUTE_MS;
    if synchronous(f.channel) && duration > 0 {
        let overlaps = ctx
            .neighbours
            .iter()
            .any(|n| synchronous(n.channel) && n.start_ms < e && s < end_of(n));
        if overlaps {
            out.push(Finding::new(Code::Overlap, "/started_at", &Detail::None));
        }
    }
    let day = crate::local_time::local_day(&start, ctx.zone);
    let same_day = ctx
        .neighbours
        .iter()
        .filter(|n| n.local_date == Some(day))
        .count() as i64
        + 1;
    let max = i64::from(ctx.rules.max_visits_per_day);
    if same_day > max {
        out.push(Finding::new(
            Code::TooManyVisits,
            "/started_at",
            &Detail::Count { count: same_day, max },
        ));
    }
}
