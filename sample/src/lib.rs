//! Samples for demos, benchmarks and tests (never on a device): a deterministic, realistic MR territory in 神奈川県
//! for `mrc seed`, `mrc demo` and benchmarks; labeled months with fabricated visits ([`fabricate`]) for the audit's
//! evaluation; demo cards ([`cards`]) and a software NTAG 424 DNA ([`SimulatedCard`]).
//!
//! [`generate`] builds master data (reps, hospitals and clinics with real-looking addresses, doctors with kana
//! readings, fictional products and a versioned materials catalog) and a year of visits on working days, all
//! from one seed with an in-house PRNG: the same [`SeedConfig`] always gives the same [`Territory`].
//! [`seed`] writes it into a store.

pub mod cards;
mod catalog;
mod day;
pub mod fabricate;
mod insights;
mod names;
mod notes;
mod people;
mod places;
mod regions;
mod rng;
mod sun_card;
mod visits;

pub use insights::accepted_insights;
pub use sun_card::SimulatedCard;

use chrono::{DateTime, NaiveDate, Utc};

use mrc_core::{
    master::{ImportError, MasterData},
    store::Store,
    visit::{VisitError, VisitFields},
};

/// How big a territory to generate, and from which seed.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SeedConfig {
    /// Medical representatives; each covers its own region of 神奈川県.
    pub reps: u32,
    /// Doctors, spread over the institutions (hospitals get more).
    pub hcps: u32,
    /// Hospitals and clinics.
    pub institutions: u32,
    /// Calendar days of visit history, ending at `end`.
    pub days: u32,
    /// Mean visits per rep per working day (each day varies by ±2).
    pub visits_per_day: f64,
    /// The PRNG seed.
    pub seed: u64,
    /// The last day with visits (inclusive); material validity is relative to it.
    pub end: NaiveDate,
}

/// The default last day: 2026-11-20.
const DEFAULT_END: NaiveDate = match NaiveDate::from_ymd_opt(2026, 11, 20) {
    Some(day) => day,
    None => NaiveDate::MIN,
};

impl Default for SeedConfig {
    /// One rep, 300 doctors in 40 institutions, a year of about 6 visits per working day: ~1,450 visits.
    fn default() -> SeedConfig {
        SeedConfig {
            reps: 1,
            hcps: 300,
            institutions: 40,
            days: 365,
            visits_per_day: 6.0,
            seed: 42,
            end: DEFAULT_END,
        }
    }
}

/// A generated territory: master data and visits, each visit with its entry time.
#[derive(Debug, Clone, PartialEq)]
pub struct Territory {
    pub master: MasterData,
    /// Complete visits in time order, with when each was entered (shortly after it, or that evening).
    pub visits: Vec<(VisitFields, DateTime<Utc>)>,
}

/// Generates a territory. Pure and deterministic: the same config gives the same territory.
pub fn generate(config: &SeedConfig) -> Territory {
    let mut root = rng::Rng::new(config.seed);
    // One stream per stage, so a change in one stage does not reshuffle the others.
    let (mut place_rng, mut people_rng, mut catalog_rng, mut visit_rng) =
        (root.fork(), root.fork(), root.fork(), root.fork());
    let (institutions, sites): (Vec<_>, Vec<_>) =
        places::institutions(&mut place_rng, config.institutions, config.reps)
            .into_iter()
            .unzip();
    let (hcps, hcp_site): (Vec<_>, Vec<_>) =
        people::hcps(&mut people_rng, &institutions, &sites, config.hcps)
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
    let visits = visits::visits(&mut visit_rng, config, &master, &sites, &hcp_site);
    Territory { master, visits }
}

/// How many records a seed wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct SeedSummary {
    pub reps: usize,
    pub institutions: usize,
    pub hcps: usize,
    pub products: usize,
    pub materials: usize,
    pub visits: usize,
}

/// Why seeding failed. Master data is imported in one transaction and visits in batches, so a failure can
/// leave the master data and the earlier visit batches stored.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Visit(#[from] VisitError),
}

/// Visits written per `create_visits` transaction.
const VISIT_BATCH: usize = 500;

/// Generates the territory of `config` and stores it in `store`: master data first, then the visits in batches.
pub fn seed(store: &Store, config: &SeedConfig) -> Result<SeedSummary, SeedError> {
    let territory = generate(config);
    let counts = store.import_master(&territory.master)?;
    for batch in territory.visits.chunks(VISIT_BATCH) {
        store.create_visits(batch)?;
    }
    Ok(SeedSummary {
        reps: counts.reps,
        institutions: counts.institutions,
        hcps: counts.hcps,
        products: counts.products,
        materials: counts.materials,
        visits: territory.visits.len(),
    })
}

#[cfg(test)]
mod tests;
