//! A year of visits: each rep's working days filled with a route of doctors from their territory.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};

use super::{catalog::PRODUCTS, day, notes, places::Site, rng::Rng, SeedConfig};
use mrc_core::master::{MasterData, Material};
use mrc_core::visit::{Channel, MaterialShown, ProductDiscussed, Reaction, VisitFields};

/// Working days before a doctor is seen again.
const COOLDOWN_DAYS: usize = 5;

/// One rep's territory: the doctors they see, how often, and what they promote.
struct RepPlan {
    /// Indices into `master.hcps`.
    hcps: Vec<usize>,
    /// Relative visit frequency of each doctor in `hcps`: a few key doctors weekly, most monthly or rarer.
    weights: Vec<f64>,
    /// The product each doctor in `hcps` is mostly detailed on (index into `master.products`).
    main_product: Vec<usize>,
    /// The portfolio, as indices into `master.products`.
    portfolio: Vec<usize>,
}

/// Everything one visit is generated from.
struct Ctx<'a> {
    master: &'a MasterData,
    /// Materials of each product, in catalog order.
    materials: Vec<Vec<&'a Material>>,
    jst: FixedOffset,
}

/// The visits of every rep on every working day, oldest first, each with its entry time.
pub(crate) fn visits(
    rng: &mut Rng,
    config: &SeedConfig,
    master: &MasterData,
    sites: &[Site],
    hcp_site: &[usize],
) -> Vec<(VisitFields, DateTime<Utc>)> {
    let Some(jst) = FixedOffset::east_opt(9 * 3600) else {
        return Vec::new();
    };
    let materials = master
        .products
        .iter()
        .map(|p| master.materials.iter().filter(|m| m.product_id == p.id).collect())
        .collect();
    let cx = Ctx {
        master,
        materials,
        jst,
    };
    let plans: Vec<RepPlan> = (0..master.reps.len())
        .map(|r| plan(rng, &cx, r, sites, hcp_site))
        .collect();
    let mut out = Vec::new();
    // The working day each doctor was last seen on, per rep: nobody is seen again within a working week, so
    // even a key doctor of a small territory is seen about weekly, as key doctors are.
    let mut last_seen: Vec<Vec<Option<usize>>> = plans.iter().map(|p| vec![None; p.hcps.len()]).collect();
    for (d, date) in mrc_core::calendar::working_days(config.end, config.days)
        .into_iter()
        .enumerate()
    {
        for (r, plan) in plans.iter().enumerate() {
            let seen = &mut last_seen[r];
            let weights: Vec<f64> = (plan.weights.iter().zip(seen.iter()))
                .map(|(w, last)| {
                    if last.is_some_and(|l| d - l < COOLDOWN_DAYS) {
                        0.0
                    } else {
                        *w
                    }
                })
                .collect();
            let route = day::route(rng, &plan.hcps, &weights, hcp_site, sites, config.visits_per_day);
            for slot in &route {
                if let Some(last) = seen.get_mut(*slot) {
                    *last = Some(d);
                }
            }
            let channels: Vec<Channel> = route.iter().map(|_| day::channel(rng)).collect();
            let times = day::schedule(rng, &route, &channels, hcp_site);
            for ((slot, channel), (start_min, minutes)) in route.iter().zip(channels).zip(times) {
                let at = Appointment {
                    slot: *slot,
                    channel,
                    date,
                    start_min,
                    minutes,
                };
                out.extend(visit(rng, &cx, plan, r, &at));
            }
        }
    }
    out
}

fn plan(rng: &mut Rng, cx: &Ctx<'_>, r: usize, sites: &[Site], hcp_site: &[usize]) -> RepPlan {
    let mut hcps: Vec<usize> = (0..hcp_site.len())
        .filter(|h| sites.get(hcp_site[*h]).is_some_and(|s| s.rep == r))
        .collect();
    if hcps.is_empty() {
        hcps = (0..hcp_site.len()).collect();
    }
    // About 3% key doctors (weekly), 20% monthly, the rest a few times a year.
    let weights = hcps
        .iter()
        .map(|_| [45.0, 12.0, 1.6][rng.weighted(&[0.027, 0.2, 0.773]).unwrap_or(2)])
        .collect();
    let portfolio: Vec<usize> = cx.master.reps[r]
        .products
        .iter()
        .filter_map(|id| cx.master.products.iter().position(|p| &p.id == id))
        .collect();
    let main_product = hcps
        .iter()
        .map(|h| {
            let specialty = cx.master.hcps[*h].specialty.as_str();
            let fits: Vec<usize> = portfolio
                .iter()
                .copied()
                .filter(|p| {
                    PRODUCTS
                        .get(*p)
                        .is_some_and(|spec| spec.targets.contains(&specialty))
                })
                .collect();
            let pool = if fits.is_empty() { &portfolio } else { &fits };
            pool.get(rng.index(pool.len())).copied().unwrap_or(0)
        })
        .collect();
    RepPlan {
        hcps,
        weights,
        main_product,
        portfolio,
    }
}

/// One slot of a rep's day: which doctor (index into the plan's territory), how, and when.
struct Appointment {
    slot: usize,
    channel: Channel,
    date: NaiveDate,
    /// Local start, in minutes after midnight.
    start_min: u32,
    minutes: u32,
}

/// A complete visit for the appointment, with its entry time.
fn visit(
    rng: &mut Rng,
    cx: &Ctx<'_>,
    plan: &RepPlan,
    r: usize,
    at: &Appointment,
) -> Option<(VisitFields, DateTime<Utc>)> {
    let Appointment {
        slot,
        channel,
        date,
        start_min,
        minutes,
    } = *at;
    let hcp = cx.master.hcps.get(*plan.hcps.get(slot)?)?;
    let start_local = date.and_time(NaiveTime::MIN) + Duration::minutes(i64::from(start_min));
    let started_at = cx.jst.from_local_datetime(&start_local).single()?;
    // Products: the doctor's usual one first (mostly), then others from the portfolio.
    let mut products: Vec<usize> = Vec::new();
    let count = 1 + rng.weighted(&[0.45, 0.4, 0.15]).unwrap_or(0);
    let mut pool = plan.portfolio.clone();
    let main = plan.main_product.get(slot).copied().filter(|_| rng.chance(0.8));
    if let Some(i) = main.and_then(|m| pool.iter().position(|p| *p == m)) {
        products.push(pool.swap_remove(i));
    }
    while products.len() < count && !pool.is_empty() {
        products.push(pool.swap_remove(rng.index(pool.len())));
    }
    // Materials: approved versions valid that day, of the products discussed.
    let mut candidates: Vec<&Material> = products
        .iter()
        .flat_map(|p| cx.materials.get(*p).into_iter().flatten())
        .filter(|m| m.status == mrc_core::master::MaterialStatus::Approved)
        .filter(|m| m.valid_from <= date && date <= m.valid_until)
        .copied()
        .collect();
    let shown = if channel == Channel::Phone {
        0
    } else {
        rng.weighted(&[0.3, 0.45, 0.25]).unwrap_or(0)
    };
    let mut materials = Vec::new();
    while materials.len() < shown && !candidates.is_empty() {
        materials.push(candidates.swap_remove(rng.index(candidates.len())));
    }
    let reaction = [
        Reaction::Positive,
        Reaction::Neutral,
        Reaction::Negative,
        Reaction::None,
    ][rng.weighted(&[0.38, 0.4, 0.12, 0.1]).unwrap_or(1)];
    let first_product = products
        .first()
        .and_then(|p| cx.master.products.get(*p))
        .map(|p| &p.id);
    let short = |p: usize| PRODUCTS.get(p).map_or("", |s| s.short);
    let doctor = format!("{}先生", hcp.name.split(' ').next().unwrap_or(&hcp.name));
    let note_cx = notes::NoteContext {
        doctor: &doctor,
        product: short(products.first().copied().unwrap_or(0)),
        second: products.get(1).map(|p| short(*p)),
        concerns: products
            .first()
            .and_then(|p| PRODUCTS.get(*p))
            .map_or(&[], |s| s.concerns),
        material: (materials
            .iter()
            .find(|m| Some(&m.product_id) == first_product)
            .or(materials.first()))
        .map(|m| m.title.as_str()),
        channel,
        reaction,
        date,
        hour: start_min / 60,
        minutes,
    };
    let mut fields = VisitFields {
        rep_id: Some(cx.master.reps.get(r)?.id.clone()),
        hcp_id: Some(hcp.id.clone()),
        institution_id: Some(hcp.institution_id.clone()),
        channel: Some(channel),
        started_at: Some(started_at),
        duration_min: Some(minutes),
        products: (products.iter().zip(1..))
            .filter_map(|(p, priority)| {
                Some(ProductDiscussed {
                    product_id: cx.master.products.get(*p)?.id.clone(),
                    priority,
                })
            })
            .collect(),
        materials_shown: (materials.iter())
            .map(|m| MaterialShown {
                material_id: m.id.clone(),
                version: m.version,
            })
            .collect(),
        reaction: Some(reaction),
        next_objective: Some(notes::next_objective(rng, &note_cx)),
        notes: notes::notes(rng, &note_cx),
        insights: Default::default(),
    };
    fields.normalize();
    Some((fields, entered_at(rng, started_at, minutes)))
}

/// When the rep typed the visit in: shortly after it, or in the evening with the day's other visits.
fn entered_at(rng: &mut Rng, started_at: DateTime<FixedOffset>, minutes: u32) -> DateTime<Utc> {
    let end = started_at + Duration::minutes(i64::from(minutes));
    let soon = end + Duration::minutes(rng.range(5, 90) as i64);
    let entered = if rng.chance(0.15) {
        let evening = started_at.date_naive().and_time(NaiveTime::MIN)
            + Duration::minutes(rng.range(1090, 1230) as i64);
        let evening = started_at
            .timezone()
            .from_local_datetime(&evening)
            .single()
            .unwrap_or(soon);
        evening.max(end + Duration::minutes(5))
    } else {
        soon
    };
    entered.with_timezone(&Utc)
}
