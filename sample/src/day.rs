//! One working day of one rep: which doctors, in which order, by which channel, and at what times.

use super::{places::Site, rng::Rng};
use mrc_core::visit::Channel;

/// 09:00 and 18:00 in minutes after midnight.
const DAY_START: u32 = 9 * 60;
const DAY_END: u32 = 18 * 60;

/// The day's doctors (indices into the territory), grouped by institution along a route. About `mean`
/// visits (±2), mostly in one area, each doctor at most once.
pub(crate) fn route(
    rng: &mut Rng,
    territory: &[usize],
    weights: &[f64],
    hcp_site: &[usize],
    sites: &[Site],
    mean: f64,
) -> Vec<usize> {
    let wanted = (mean + 2.0 * (rng.unit() - 0.5) + 2.0 * (rng.unit() - 0.5))
        .round()
        .max(0.0) as usize;
    let area_of = |slot: usize| {
        territory
            .get(slot)
            .and_then(|h| hcp_site.get(*h))
            .and_then(|s| sites.get(*s))
    };
    let focus = rng.weighted(weights).and_then(&area_of).map(|site| site.area);
    let mut day_weights: Vec<f64> = (weights.iter().enumerate())
        .map(|(slot, w)| {
            if area_of(slot).map(|s| s.area) == focus {
                w * 4.0
            } else {
                *w
            }
        })
        .collect();
    let mut chosen = Vec::new();
    while chosen.len() < wanted {
        let Some(slot) = rng.weighted(&day_weights) else {
            break;
        };
        day_weights[slot] = 0.0;
        chosen.push(slot);
    }
    chosen.sort_by_key(|slot| {
        let site = territory
            .get(*slot)
            .and_then(|h| hcp_site.get(*h))
            .copied()
            .unwrap_or(0);
        (area_of(*slot).map(|s| s.area), site)
    });
    chosen
}

/// Mostly in person, sometimes by phone or online.
pub(crate) fn channel(rng: &mut Rng) -> Channel {
    let channels = [
        Channel::InPerson,
        Channel::Phone,
        Channel::WebMeeting,
        Channel::Video,
    ];
    channels[rng.weighted(&[0.78, 0.08, 0.09, 0.05]).unwrap_or(0)]
}

/// A realistic length: short in person (often not a round number), longer online.
fn duration(rng: &mut Rng, channel: Channel) -> u32 {
    let minutes = match channel {
        Channel::InPerson | Channel::Other => rng.range(5, 30).min(rng.range(5, 30)),
        Channel::Phone | Channel::Email => rng.range(3, 12),
        Channel::Video => rng.range(10, 25),
        Channel::WebMeeting => rng.range(15, 40),
    };
    if rng.chance(0.3) {
        (minutes + 2) / 5 * 5
    } else {
        minutes
    }
    .max(3) as u32
}

/// Start (minutes after midnight) and duration of each visit, in order, between 09:00 and 18:00 without
/// overlap: travel between institutions, a few minutes between doctors of one institution, and the rest of the
/// day spread randomly. Visits that do not fit are dropped from the end.
pub(crate) fn schedule(
    rng: &mut Rng,
    route: &[usize],
    channels: &[Channel],
    hcp_site: &[usize],
) -> Vec<(u32, u32)> {
    let mut durations: Vec<u32> = channels.iter().map(|c| duration(rng, *c)).collect();
    let mut gaps: Vec<u32> = Vec::new();
    for (i, slot) in route.iter().enumerate().skip(1) {
        let same_site = hcp_site.get(*slot) == hcp_site.get(route[i - 1]);
        let remote = !matches!(channels.get(i), Some(Channel::InPerson | Channel::Other));
        gaps.push(if same_site {
            rng.range(2, 8)
        } else if remote {
            rng.range(5, 15)
        } else {
            rng.range(15, 45)
        } as u32);
    }
    durations.truncate(route.len());
    while durations.iter().sum::<u32>() + gaps.iter().take(durations.len().saturating_sub(1)).sum::<u32>()
        > DAY_END - DAY_START
    {
        durations.pop();
    }
    let busy =
        durations.iter().sum::<u32>() + gaps.iter().take(durations.len().saturating_sub(1)).sum::<u32>();
    let slack = f64::from(DAY_END - DAY_START - busy);
    let shares: Vec<f64> = (0..=durations.len()).map(|_| 0.2 + rng.unit()).collect();
    let total: f64 = shares.iter().sum();
    let mut clock = DAY_START;
    let mut out = Vec::with_capacity(durations.len());
    for (i, minutes) in durations.iter().enumerate() {
        let gap = if i == 0 { 0 } else { gaps[i - 1] };
        clock += gap + (slack * shares[i] / total).floor() as u32;
        out.push((clock, *minutes));
        clock += minutes;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_fit_the_working_day_without_overlap() {
        let mut rng = Rng::new(11);
        for _ in 0..500 {
            let route: Vec<usize> = (0..10).map(|_| rng.index(4)).collect();
            let channels: Vec<Channel> = route.iter().map(|_| channel(&mut rng)).collect();
            let times = schedule(&mut rng, &route, &channels, &[0, 0, 1, 2]);
            assert!(!times.is_empty());
            let mut end = DAY_START;
            for (start, minutes) in times {
                assert!(start >= end && start + minutes <= DAY_END, "{start} {minutes}");
                end = start + minutes;
            }
        }
    }
}
