//! The world of a labeled month: the territory (with clinics sharing a building), each rep's habits and how
//! often each doctor is seen (key doctors weekly, regular ones every few weeks, the rest now and then).

use chrono::{Datelike, NaiveDate};

use super::super::{catalog, people, places, places::Site, rng::Rng};
use super::{domain::Params, FabricateConfig};
use mrc_core::master::MasterData;

/// How a rep works, drawn once per rep: genuine habits that can look like fabrication.
#[derive(Debug, Clone)]
pub(super) struct Habit {
    /// Share of days typed in from a memo app in one evening session.
    pub(super) evening_share: f64,
    /// Share of days typed in the next morning.
    pub(super) morning_share: f64,
    /// The evening session starts this late at the latest (minutes after midnight).
    pub(super) evening_latest: u32,
    /// Share of durations rounded to five minutes.
    pub(super) round_share: f64,
    /// Rounds nearly every duration to 10, 15, 20 or 30 minutes.
    pub(super) rounder: bool,
    /// Share of shown materials the doctor taps (the rest: the tap fails or the doctor declines).
    pub(super) tap_rate: f64,
    /// Share of repeat visits whose note starts from the previous note for the doctor.
    pub(super) follow_up_share: f64,
    /// Relative share of the team's fabrications this rep makes (0 = honest).
    pub(super) propensity: f64,
}

/// How often a doctor is seen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Cadence {
    /// A key opinion leader, seen weekly on about this weekday (0 = Monday).
    Weekly(u32),
    /// Every `every` days from `phase`.
    Regular { every: u32, phase: u32 },
    /// Once, on this day of the month (index into the working days), or not at all.
    Once(Option<usize>),
}

/// One rep's territory and habits.
pub(super) struct RepPlan {
    /// Indices into `master.hcps`.
    pub(super) hcps: Vec<usize>,
    pub(super) cadence: Vec<Cadence>,
    /// The product each doctor is mostly detailed on (index into `master.products`).
    pub(super) main_product: Vec<usize>,
    pub(super) portfolio: Vec<usize>,
    pub(super) habit: Habit,
}

/// Everything the month is generated in.
pub(super) struct World {
    /// The world parameters the month was drawn with.
    pub(super) params: Params,
    pub(super) master: MasterData,
    pub(super) sites: Vec<Site>,
    /// Institution index of each HCP.
    pub(super) hcp_site: Vec<usize>,
    /// For a clinic sharing a building with another, that other clinic.
    pub(super) building_mate: Vec<Option<usize>>,
    pub(super) reps: Vec<RepPlan>,
    pub(super) days: Vec<NaiveDate>,
}

/// `count` × `scale`, at least one (the fixed scale 1.0 gives `count` exactly).
fn scaled(count: u32, scale: f64) -> u32 {
    ((f64::from(count) * scale).round() as u32).max(1)
}

/// Great-circle distance in kilometres between two institutions.
pub(super) fn km(world: &World, a: usize, b: usize) -> f64 {
    let (Some(x), Some(y)) = (world.master.institutions.get(a), world.master.institutions.get(b)) else {
        return 0.0;
    };
    let (p1, p2) = (x.lat.to_radians(), y.lat.to_radians());
    let (dp, dl) = ((y.lat - x.lat).to_radians(), (y.lon - x.lon).to_radians());
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

pub(super) fn world(rng: &mut Rng, config: &FabricateConfig, params: Params) -> World {
    let (mut place_rng, mut people_rng, mut catalog_rng, mut plan_rng) =
        (rng.fork(), rng.fork(), rng.fork(), rng.fork());
    let (mut institutions, sites): (Vec<_>, Vec<_>) =
        places::institutions(&mut place_rng, config.institutions, config.reps)
            .into_iter()
            .unzip();
    let building_mate = share_buildings(&mut plan_rng, &mut institutions, &sites);
    let (hcps, hcp_site): (Vec<_>, Vec<_>) = people::hcps(
        &mut people_rng,
        &institutions,
        &sites,
        scaled(config.hcps, params.hcps_scale),
    )
    .into_iter()
    .unzip();
    let products = catalog::products();
    let product_ids: Vec<String> = products.iter().map(|p| p.id.clone()).collect();
    let reps = people::reps(&mut people_rng, config.reps, &product_ids);
    let materials = catalog::materials(&mut catalog_rng, &products, config.end, config.days);
    let master = MasterData {
        reps,
        institutions,
        hcps,
        products,
        materials,
        ..MasterData::default()
    };
    let days = mrc_core::calendar::working_days(config.end, config.days);
    let reps = (0..master.reps.len())
        .map(|r| rep_plan(&mut plan_rng, &master, &sites, &hcp_site, r, days.len(), &params))
        .collect();
    World {
        params,
        master,
        sites,
        hcp_site,
        building_mate,
        reps,
        days,
    }
}

/// Moves some clinics into the building of another clinic of the same rep: same address but the floor, the
/// same point on the map (or, for one in three, 300–450 m off, as geocoding of a building sometimes is).
fn share_buildings(
    rng: &mut Rng,
    institutions: &mut [mrc_core::master::Institution],
    sites: &[Site],
) -> Vec<Option<usize>> {
    let mut mate = vec![None; institutions.len()];
    let clinics: Vec<usize> = (0..sites.len()).filter(|i| !sites[*i].hospital).collect();
    for a in clinics.iter().copied() {
        let partner = clinics
            .iter()
            .copied()
            .find(|b| *b > a && sites[*b].rep == sites[a].rep && mate[*b].is_none() && mate[a].is_none());
        let Some(b) = partner.filter(|_| rng.chance(0.3)) else {
            continue;
        };
        let base = institutions[a].address.clone();
        let (lat, lon) = (institutions[a].lat, institutions[a].lon);
        let off = if rng.chance(0.33) { 0.0035 } else { 0.00008 };
        institutions[a].address = format!("{base} 2階");
        institutions[b].address = format!("{base} {}階", 3 + rng.below(3));
        institutions[b].lat = lat + off;
        institutions[b].lon = lon + off * 0.5;
        mate[a] = Some(b);
        mate[b] = Some(a);
    }
    mate
}

fn rep_plan(
    rng: &mut Rng,
    master: &MasterData,
    sites: &[Site],
    hcp_site: &[usize],
    r: usize,
    working_days: usize,
    params: &Params,
) -> RepPlan {
    let mut hcps: Vec<usize> = (0..hcp_site.len())
        .filter(|h| sites.get(hcp_site[*h]).is_some_and(|s| s.rep == r))
        .collect();
    if hcps.is_empty() {
        hcps = (0..hcp_site.len()).collect();
    }
    // About 6.5 visits a working day: a few weekly key doctors, a third seen every one to three weeks.
    let kols = (hcps.len() / 30).clamp(2, 5);
    let cadence = (0..hcps.len())
        .map(|i| {
            if i % (hcps.len() / kols).max(1) == 0 && i / (hcps.len() / kols).max(1) < kols {
                Cadence::Weekly(rng.below(5) as u32)
            } else if rng.chance(0.3) {
                let every = rng.range(12, 28) as u32;
                Cadence::Regular {
                    every,
                    phase: rng.below(u64::from(every)) as u32,
                }
            } else {
                Cadence::Once(rng.chance(0.5).then(|| rng.index(working_days.max(1))))
            }
        })
        .collect();
    let portfolio: Vec<usize> = master.reps[r]
        .products
        .iter()
        .filter_map(|id| master.products.iter().position(|p| &p.id == id))
        .collect();
    let main_product = hcps
        .iter()
        .map(|h| {
            let specialty = master.hcps[*h].specialty.as_str();
            let fits: Vec<usize> = (portfolio.iter().copied())
                .filter(|p| {
                    catalog::PRODUCTS
                        .get(*p)
                        .is_some_and(|s| s.targets.contains(&specialty))
                })
                .collect();
            let pool = if fits.is_empty() { &portfolio } else { &fits };
            pool.get(rng.index(pool.len())).copied().unwrap_or(0)
        })
        .collect();
    let habit = Habit {
        evening_share: 0.1 + rng.unit() * params.evening_width,
        morning_share: rng.unit() * 0.12,
        evening_latest: if rng.chance(0.25) { 22 * 60 + 15 } else { 21 * 60 },
        round_share: 0.1 + rng.unit() * params.round_width,
        rounder: rng.chance(params.rounder_chance),
        tap_rate: params.tap_low + rng.unit() * params.tap_width,
        follow_up_share: 0.1 + rng.unit() * params.follow_up_width,
        propensity: if rng.chance(0.25) {
            0.0
        } else {
            0.3 + rng.unit() * 1.4
        },
    };
    RepPlan {
        hcps,
        cadence,
        main_product,
        portfolio,
        habit,
    }
}

/// Whether a doctor with `cadence` is due on working day `index` (`day`): whether a calendar day after the
/// previous working day `prev` and up to `day` falls on the cadence (so a visit due on a holiday moves to the
/// next working day). `first` is the month's first day.
pub(super) fn due(
    cadence: Cadence,
    index: usize,
    prev: Option<NaiveDate>,
    day: NaiveDate,
    first: NaiveDate,
) -> bool {
    let from = prev.map_or(day, |p| p.succ_opt().unwrap_or(day));
    let mut d = from;
    while d <= day {
        let hit = match cadence {
            Cadence::Weekly(weekday) => d.weekday().num_days_from_monday() == weekday,
            Cadence::Regular { every, phase } => {
                let offset = (d - first).num_days().max(0) as u32;
                offset >= phase && (offset - phase) % every.max(1) == 0
            }
            Cadence::Once(day_index) => day_index == Some(index) && d == day,
        };
        if hit {
            return true;
        }
        match d.succ_opt() {
            Some(next) => d = next,
            None => break,
        }
    }
    false
}
