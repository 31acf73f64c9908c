//! `travel_infeasible`: the trip from the previous in-person visit, or to the next one, does not fit the gap.
//!
//! Clinics in one building (the same address up to the floor, or closer than `same_site_km`) need no travel
//! time. A trip that does not fit involves two visits; the one that did not happen is blamed:
//! - a visit whose trips on both sides do not fit is the odd one out;
//! - a visit is not blamed for a trip to a neighbour that is itself the odd one out (its other trip does not
//!   fit either), so the genuine visits around a visit slipped into a day stay clean;
//! - of an isolated pair, the visit entered later is blamed (it is the one that did not fit the day as it was).
//!
//! The verdict depends only on the day's visits and their entry times, so the device (seeing what was entered
//! so far) and the audit's hindsight (seeing the whole month) apply the same rule.

use chrono::{DateTime, FixedOffset};

use super::schedule::{end_of, MINUTE_MS};
use crate::{
    validate::{past, Code, Context, Detail, Finding},
    visit::{Channel, VisitFields},
};

/// Great-circle distance in kilometres.
pub fn distance_km((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().min(1.0).asin()
}

/// An in-person visit with a known place.
struct Stop<'a> {
    start: i64,
    end: i64,
    coords: (f64, f64),
    address: Option<&'a str>,
    entered: i64,
}

/// A trip that does not fit: distance, minutes needed, minutes available.
type Leg = (f64, i64, i64);

fn leg(a: &Stop<'_>, b: &Stop<'_>, ctx: &Context) -> Option<Leg> {
    let km = distance_km(a.coords, b.coords);
    if km < ctx.rules.same_site_km || same_building(a.address, b.address) {
        return None;
    }
    let need =
        (f64::from(ctx.rules.travel_overhead_min) + km / ctx.rules.travel_speed_kmh * 60.0).ceil() as i64;
    let gap = (b.start - a.end).div_euclid(MINUTE_MS);
    (gap < need).then_some((km, need, gap))
}

pub fn check(f: &VisitFields, ctx: &Context, out: &mut Vec<Finding>) {
    let (Some(start), Some(duration), Some(here)) = (f.started_at, f.duration_min, ctx.institution_coords)
    else {
        return;
    };
    if f.channel != Some(Channel::InPerson) {
        return;
    }
    let mut stops: Vec<(bool, Stop<'_>)> = (ctx.neighbours.iter())
        .filter(|n| n.channel == Some(Channel::InPerson))
        .filter_map(|n| {
            let coords = n.coords?;
            Some((
                false,
                Stop {
                    start: n.start_ms,
                    end: end_of(n),
                    coords,
                    address: n.address.as_deref(),
                    entered: n.entered_ms,
                },
            ))
        })
        .collect();
    stops.push((true, own(start, duration, here, ctx)));
    stops.sort_by_key(|(me, s)| (s.start, s.end, !*me));
    let Some(k) = stops.iter().position(|(me, _)| *me) else {
        return;
    };
    let bad = |i: usize, j: usize| -> Option<Leg> { leg(&stops.get(i)?.1, &stops.get(j)?.1, ctx) };
    let before = k.checked_sub(1).and_then(|p| bad(p, k));
    let after = bad(k, k + 1);
    let me = &stops[k].1;
    let blamed = |other: usize, odd: Option<Leg>, mine_other: Option<Leg>| {
        let later = stops
            .get(other)
            .is_some_and(|(_, o)| (me.entered, me.start) > (o.entered, o.start));
        mine_other.is_some() || (odd.is_none() && later)
    };
    let verdict = match (before, after) {
        (Some(l), _) if blamed(k - 1, k.checked_sub(2).and_then(|pp| bad(pp, k - 1)), after) => Some(l),
        (_, Some(l)) if blamed(k + 1, bad(k + 1, k + 2), before) => Some(l),
        _ => None,
    };
    if let Some((km, need_min, gap_min)) = verdict {
        let detail = Detail::Travel {
            km,
            need_min,
            gap_min,
        };
        // The share of the trip that does not fit: half of it missing is clear (strength 0.9).
        let missing = (need_min - gap_min) as f64 / need_min.max(1) as f64;
        out.push(
            Finding::new(Code::TravelInfeasible, "/started_at", &detail)
                .with_strength(past(missing, 0.0, 0.5)),
        );
    }
}

fn own<'a>(start: DateTime<FixedOffset>, duration: u32, here: (f64, f64), ctx: &'a Context) -> Stop<'a> {
    let s = start.timestamp_millis();
    Stop {
        start: s,
        end: s + i64::from(duration) * MINUTE_MS,
        coords: here,
        address: ctx.institution_address.as_deref(),
        entered: if ctx.being_entered {
            i64::MAX
        } else {
            ctx.entered_at.timestamp_millis()
        },
    }
}

/// The address up to its first space, with full-width characters folded: "新横浜2-5-3 2階" → "新横浜2-5-3".
/// `None` when that part has no digit (too vague to be a building).
fn building_key(address: &str) -> Option<String> {
    let folded: String = address
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            'ー' | '−' | '‐' => '-',
            _ => c,
        })
        .collect();
    let key = folded.split_whitespace().next()?.to_owned();
    key.chars().any(|c| c.is_ascii_digit()).then_some(key)
}

/// Whether two institutions share a building address.
fn same_building(a: Option<&str>, b: Option<&str>) -> bool {
    match (a.and_then(building_key), b.and_then(building_key)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn building_keys_ignore_the_floor_and_width() {
        assert!(same_building(
            Some("神奈川県横浜市港北区新横浜2-5-3"),
            Some("神奈川県横浜市港北区新横浜２−５−３　2階")
        ));
        assert!(!same_building(
            Some("神奈川県横浜市港北区新横浜2-5-3"),
            Some("神奈川県横浜市港北区新横浜2-5-4")
        ));
        assert!(!same_building(Some("神奈川県横浜市"), Some("神奈川県横浜市")));
    }
}
