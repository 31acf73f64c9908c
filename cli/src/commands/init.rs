//! `mrc init` and `mrc import`.

use std::path::Path;

use mrc_core::{store::migrations, Store};
use serde_json::json;

use crate::{error::CliError, output};

pub fn init(store: &Store, as_json: bool) -> Result<(), CliError> {
    let counts = store.master_counts()?;
    let visits = store.visit_count()?;
    let report = json!({
        "db": store.path(),
        "schema_version": migrations::latest_version(),
        "device_actor": store.actor().to_hex_string(),
        "master": counts,
        "visits": visits,
    });
    output::emit(as_json, &report, |_| {
        format!(
            "ストア準備完了 Store ready: {}\n  schema v{}, device {}\n  {} HCPs, {} institutions, {} materials, {} visits\n",
            store.path().display(),
            migrations::latest_version(),
            store.actor().to_hex_string(),
            counts.hcps,
            counts.institutions,
            counts.materials,
            visits
        )
    })
}

pub fn import(store: &Store, file: &Path, as_json: bool) -> Result<(), CliError> {
    let text = super::read_text(file)?;
    let counts = store.import_master_json(&text)?;
    output::emit(as_json, &counts, |c| {
        format!(
            "マスタ取込完了 Imported: {} reps, {} institutions, {} HCPs, {} products, {} materials\n",
            c.reps, c.institutions, c.hcps, c.products, c.materials
        )
    })
}
