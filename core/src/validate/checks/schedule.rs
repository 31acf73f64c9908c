//! `overlap`, `travel_infeasible`, `too_many_visits`, `round_duration_pattern`: the visit among the rep's others.

use crate::{
    validate::{context::Neighbour, Code, Context, Detail, Finding},
    visit::{Channel, VisitFields},
};

const MINUTE_MS: i64 = 60_000;

fn synchronous(channel: Option<Channel>) -> bool {
    matches!(
        channel,
        Some(Channel::InPerson | Channel::Phone | Channel::Video | Channel::WebMeeting)
    )
}

/// Great-circle distance in kilometres.
pub fn distance_km((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().min(1.0).asin()
}

pub fn check(f: &VisitFields, ctx: &Context, out: &mut Vec<Finding>) {
    let (Some(start), Some(duration)) = (f.started_at, f.duration_min) else {
        return;
    };
    let s = start.timestamp_millis();
    let e = s + i64::from(duration) * MINUTE_MS;
    let end_of = |n: &Neighbour| n.start_ms + i64::from(n.duration_min.unwrap_or(0)) * MINUTE_MS;

    if synchronous(f.channel) && duration > 0 {
        let overlaps = ctx
            .neighbours
            .iter()
            .any(|n| synchronous(n.channel) && n.start_ms < e && s < end_of(n));
        if overlaps {
            out.push(Finding::new(Code::Overlap, "/started_at", &Detail::None));
        }
    }

    if f.channel == Some(Channel::InPerson) {
        if let Some(here) = ctx.institution_coords {
            let in_person = || {
                ctx.neighbours
                    .iter()
                    .filter(|n| n.channel == Some(Channel::InPerson) && n.coords.is_some())
            };
            let before = in_person().filter(|n| end_of(n) <= s).max_by_key(|n| end_of(n));
            let after = in_person().filter(|n| n.start_ms >= e).min_by_key(|n| n.start_ms);
            let legs = [
                before.map(|n| (end_of(n), s, n.coords)),
                after.map(|n| (e, n.start_ms, n.coords)),
            ];
            for (from, to, coords) in legs.into_iter().flatten() {
                let Some(there) = coords else { continue };
                let km = distance_km(here, there);
                if km < ctx.rules.same_site_km {
                    continue;
                }
                let need_min = (f64::from(ctx.rules.travel_overhead_min)
                    + km / ctx.rules.travel_speed_kmh * 60.0)
                    .ceil() as i64;
                let gap_min = (to - from) / MINUTE_MS;
                if gap_min < need_min {
                    out.push(Finding::new(
                        Code::TravelInfeasible,
                        "/started_at",
                        &Detail::Travel {
                            km,
                            need_min,
                            gap_min,
                        },
                    ));
                    break;
                }
            }
        }
    }

    let day = start.date_naive();
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

    let window = ctx.rules.duration_pattern_window as usize;
    if duration > 0 && duration % 5 == 0 && window >= 5 && ctx.recent_durations.len() + 1 >= window {
        let sample = &ctx.recent_durations[..window - 1];
        let same = sample.iter().filter(|&&d| d == duration).count() + 1;
        let percent = (same * 100 / window) as i64;
        if percent >= i64::from(ctx.rules.duration_pattern_percent) {
            let detail = Detail::Pattern {
                minutes: duration.into(),
                percent,
            };
            out.push(Finding::new(Code::RoundDurationPattern, "/duration_min", &detail));
        }
    }
}
