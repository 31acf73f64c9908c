//! `mrc validate`: the validator's findings and score for a visit file.

use std::path::Path;

use mrc_core::{
    validate::{Report, Severity},
    visit::parse_visit_input,
    Store,
};

use crate::{error::CliError, output};

pub fn run(store: &Store, file: &Path, reason: Option<&str>, as_json: bool) -> Result<(), CliError> {
    let text = super::read_text(file)?;
    let (id, fields) = parse_visit_input(&text).map_err(|e| {
        CliError::Usage(format!(
            "{} is not a usable visit: at {}: {}",
            file.display(),
            if e.path.is_empty() { "/" } else { &e.path },
            e.reason
        ))
    })?;
    let report = store.validate(id, &fields, reason, store.now())?;
    output::emit(as_json, &report, render)?;
    if report.ok {
        Ok(())
    } else {
        Err(CliError::Silent(1))
    }
}

/// The report as readable bilingual lines.
pub fn render(report: &Report) -> String {
    let verdict = if report.ok {
        "提出可 OK"
    } else {
        "エラーあり Has errors"
    };
    let mut out = format!(
        "{verdict} — 信頼度スコア reliability score {}/100\n",
        report.score
    );
    for f in &report.findings {
        let mark = match f.severity {
            Severity::Error => "✗ error  ",
            Severity::Warning => "! warning",
        };
        let field = if f.field.is_empty() { "/" } else { f.field.as_str() };
        out.push_str(&format!(
            "  {mark} {} {field}\n      {}\n      {}\n",
            f.code.as_str(),
            f.message_ja,
            f.message_en
        ));
    }
    for r in report.reasons.iter().filter(|r| r.points > 0) {
        out.push_str(&format!("  + {} (+{})\n", r.code, r.points));
    }
    out
}
