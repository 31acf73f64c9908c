//! `mrc seed`: a realistic sample territory.

use mrc_core::Store;
use mrc_sample::SeedConfig;

use crate::{args::SeedArgs, error::CliError, output};

pub fn run(store: &Store, args: &SeedArgs, today: chrono::NaiveDate, as_json: bool) -> Result<(), CliError> {
    let config = SeedConfig {
        reps: args.reps,
        hcps: args.hcps,
        institutions: args.institutions,
        days: args.days,
        seed: args.seed,
        end: today,
        ..SeedConfig::default()
    };
    if config.reps == 0 || config.hcps == 0 || config.institutions == 0 {
        return Err(CliError::Usage(
            "--reps, --hcps and --institutions must be at least 1".into(),
        ));
    }
    let summary = mrc_sample::seed(store, &config)?;
    output::emit(as_json, &summary, |s| {
        format!(
            "サンプル地域を作成 Seeded: {} reps, {} institutions, {} HCPs, {} products, {} materials, {} visits\n",
            s.reps, s.institutions, s.hcps, s.products, s.materials, s.visits
        )
    })
}
