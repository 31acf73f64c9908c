//! `mrc fabricate --labels FILE`: a labeled month (master data, visits as JSON Lines, labels) for measuring the
//! audit; it fills no store.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use mrc_sample::fabricate::{self, FabricateConfig};
use serde_json::json;

use crate::{error::CliError, output};

#[derive(Debug, clap::Args)]
pub struct FabricateArgs {
    /// The share of fabricated visits (0 to 0.9).
    #[arg(long, value_name = "SHARE", default_value_t = 0.15)]
    pub share: f64,
    /// Where to write the labels: id → fabricated, pattern, subtle, look_alike, rep_id.
    #[arg(long, value_name = "FILE")]
    pub labels: PathBuf,
    /// Number of reps.
    #[arg(long, default_value_t = 3)]
    pub reps: u32,
    /// Number of HCPs (at least 100 a rep are used).
    #[arg(long, default_value_t = 300)]
    pub hcps: u32,
    /// Number of institutions (at least 13 a rep, plus one, are used).
    #[arg(long, default_value_t = 40)]
    pub institutions: u32,
    /// Days in the month, ending on --end.
    #[arg(long, default_value_t = 30)]
    pub days: u32,
    /// Seed of the generator (same seed, same month).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Where to write the visits, JSON Lines [default: visits.jsonl beside the labels].
    #[arg(long = "visits-out", value_name = "FILE")]
    pub visits_out: Option<PathBuf>,
    /// Where to write the master data [default: master.json beside the labels].
    #[arg(long = "master-out", value_name = "FILE")]
    pub master_out: Option<PathBuf>,
    /// The last day of the labeled month [default: 2026-11-20].
    #[arg(long, value_name = "DATE")]
    pub end: Option<NaiveDate>,
    /// The world parameters: `fixed` (the generator's own), or drawn per month from the ranges tuning used
    /// (`tuning`) or from ranges it never saw (`held-out`): domain randomization.
    #[arg(long, value_name = "DOMAIN", default_value = "fixed", value_parser = domain)]
    pub domain: fabricate::Domain,
}

/// Parses `--domain`.
pub(crate) fn domain(text: &str) -> Result<fabricate::Domain, String> {
    fabricate::Domain::parse(text).ok_or_else(|| format!("{text:?}: expected fixed, tuning or held-out"))
}

/// The generator's config for `reps` reps: at least 100 HCPs and 13 institutions a rep.
pub(crate) fn config(
    reps: u32,
    hcps: u32,
    institutions: u32,
    days: u32,
    rate: f64,
    seed: u64,
) -> FabricateConfig {
    FabricateConfig {
        reps,
        hcps: hcps.max(100 * reps),
        institutions: institutions.max(13 * reps + 1),
        days,
        rate,
        seed,
        ..FabricateConfig::default()
    }
}

fn write(path: &Path, text: &str) -> Result<(), CliError> {
    std::fs::write(path, text).map_err(|e| CliError::file(path, e))
}

pub fn run(args: &FabricateArgs, as_json: bool) -> Result<(), CliError> {
    let rate = args.share;
    if !(0.0..=0.9).contains(&rate) {
        return Err(CliError::Usage("--share must be between 0 and 0.9".into()));
    }
    let reps = args.reps;
    if reps == 0 || args.hcps == 0 || args.institutions == 0 {
        return Err(CliError::Usage(
            "--reps, --hcps and --institutions must be at least 1".into(),
        ));
    }
    let labels_path = args.labels.clone();
    let beside = |name: &str| {
        labels_path
            .parent()
            .map_or_else(|| PathBuf::from(name), |dir| dir.join(name))
    };
    let visits_path = args.visits_out.clone().unwrap_or_else(|| beside("visits.jsonl"));
    let master_path = args.master_out.clone().unwrap_or_else(|| beside("master.json"));
    let mut config = config(reps, args.hcps, args.institutions, args.days, rate, args.seed);
    if let Some(end) = args.end {
        config.end = end;
    }
    config.domain = args.domain;
    let month = fabricate::generate_labeled(&config);
    write(&master_path, &format!("{}\n", pretty(&month.master)?))?;
    write(&visits_path, &month.lines())?;
    write(&labels_path, &format!("{}\n", pretty(&month.labels())?))?;
    let fabricated = month.visits.iter().filter(|v| v.label.fabricated).count();
    let report = json!({
        "visits": month.visits.len(),
        "fabricated": fabricated,
        "reps": reps,
        "master": master_path,
        "visits_file": visits_path,
        "labels": labels_path,
    });
    output::emit(as_json, &report, |_| {
        format!(
            "ラベル付きの1か月を作成 Labeled month: {} visits, {} fabricated ({:.1}%), {} reps\n  {}\n  {}\n  {}\n",
            month.visits.len(),
            fabricated,
            fabricated as f64 * 100.0 / month.visits.len().max(1) as f64,
            reps,
            master_path.display(),
            visits_path.display(),
            labels_path.display()
        )
    })
}

/// Pretty JSON.
fn pretty<T: serde::Serialize>(value: &T) -> Result<String, CliError> {
    serde_json::to_string_pretty(value).map_err(|e| CliError::Failed(e.to_string()))
}
