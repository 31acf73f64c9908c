//! `mrc seed --fabricate SHARE --labels FILE`: a labeled month (master data, visits as JSON Lines, labels) for
//! measuring the audit, instead of filling a store.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use mrc_core::seed::fabricate::{self, FabricateConfig};
use serde_json::json;

use crate::{args::SeedArgs, error::CliError, output};

#[derive(Debug, Default, clap::Args)]
pub struct FabricateArgs {
    /// Write a labeled month instead of filling the store, with this share of fabricated visits (e.g. 0.15).
    #[arg(long = "fabricate", value_name = "SHARE", requires = "labels")]
    pub rate: Option<f64>,
    /// Where --fabricate writes the labels: id → fabricated, pattern, subtle, look_alike, rep_id.
    #[arg(long, value_name = "FILE")]
    pub labels: Option<PathBuf>,
    /// Where --fabricate writes the visits, JSON Lines [default: visits.jsonl beside the labels].
    #[arg(long = "visits-out", value_name = "FILE")]
    pub visits_out: Option<PathBuf>,
    /// Where --fabricate writes the master data [default: master.json beside the labels].
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

pub fn run(args: &SeedArgs, as_json: bool) -> Result<(), CliError> {
    let f = &args.fabricate;
    let rate = f.rate.unwrap_or(0.15);
    if !(0.0..=0.9).contains(&rate) {
        return Err(CliError::Usage(
            "--fabricate must be a share between 0 and 0.9".into(),
        ));
    }
    let reps = args.reps.unwrap_or(3);
    if reps == 0 || args.hcps == 0 || args.institutions == 0 {
        return Err(CliError::Usage(
            "--reps, --hcps and --institutions must be at least 1".into(),
        ));
    }
    let labels_path = f
        .labels
        .clone()
        .ok_or_else(|| CliError::Usage("--fabricate needs --labels FILE".into()))?;
    let beside = |name: &str| {
        labels_path
            .parent()
            .map_or_else(|| PathBuf::from(name), |dir| dir.join(name))
    };
    let visits_path = f.visits_out.clone().unwrap_or_else(|| beside("visits.jsonl"));
    let master_path = f.master_out.clone().unwrap_or_else(|| beside("master.json"));
    let mut config = config(
        reps,
        args.hcps,
        args.institutions,
        args.days.unwrap_or(30),
        rate,
        args.seed,
    );
    if let Some(end) = f.end {
        config.end = end;
    }
    config.domain = f.domain;
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
