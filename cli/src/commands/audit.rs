//! `mrc audit`: a month of visit records replayed through the validator in a temporary store; scores per
//! visit (`--out`), a summary per rep and for the team on stdout.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use mrc_audit::{self as audit, AuditError, AuditResult, AuditVisit, Group, Refused};
use mrc_core::{
    json_path,
    master::{ImportError, MasterData},
    validate::RuleSettings,
    visit::VisitFilter,
};

use crate::{error::CliError, output};

#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// Master data JSON (reps, institutions, HCPs, products, materials).
    #[arg(long, value_name = "FILE")]
    pub master: PathBuf,
    /// The visits: JSON Lines, one visit a line, with `id` and optional `entered_at` and `taps`.
    pub visits: PathBuf,
    /// Rule settings JSON; missing keys keep their defaults.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Visits scoring below this are flagged.
    #[arg(long, default_value_t = audit::DEFAULT_THRESHOLD, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub threshold: u8,
    /// Where to write the scores: {"<id>": {"score": 0..100, "codes": [...]}, ...}.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Reads a file the command line names; a missing or unreadable one is a usage error.
fn argument_file(path: &Path, what: &str) -> Result<Vec<u8>, CliError> {
    std::fs::read(path)
        .map_err(|e| CliError::Usage(format!("cannot read the {what} {}: {e}", path.display())))
}

/// Reads `--rules`, a usage error when it is not a usable settings document.
pub(crate) fn read_rules(path: Option<&Path>) -> Result<RuleSettings, CliError> {
    let Some(path) = path else {
        return Ok(RuleSettings::default());
    };
    let text = String::from_utf8(argument_file(path, "rules")?)
        .map_err(|_| CliError::Usage(format!("{} is not UTF-8 text", path.display())))?;
    RuleSettings::from_json(&text)
        .map_err(|e| CliError::Usage(format!("{} is not usable rule settings: {e}", path.display())))
}

/// Audits `visits` in fresh temporary stores holding `master` and `rules`.
pub(crate) fn in_temp_store(
    master: &MasterData,
    rules: &RuleSettings,
    visits: &[AuditVisit],
    refused: Vec<Refused>,
    threshold: u8,
) -> Result<AuditResult, CliError> {
    let dir = tempfile::tempdir()
        .map_err(|e| CliError::Failed(format!("cannot create a temporary folder: {e}")))?;
    audit::audit(dir.path(), master, rules, visits, refused, threshold).map_err(|e| match e {
        AuditError::Master(ImportError::Invalid(e)) => {
            CliError::Usage(format!("the master data is not usable: {e}"))
        }
        other => CliError::Failed(other.to_string()),
    })
}

pub fn run(args: &AuditArgs, as_json: bool) -> Result<(), CliError> {
    let master = String::from_utf8(argument_file(&args.master, "master data")?)
        .map_err(|_| CliError::Usage(format!("{} is not UTF-8 text", args.master.display())))?;
    let master: MasterData = json_path::parse(&master).map_err(|e| {
        CliError::Usage(format!(
            "{} is not usable master data: {e}",
            args.master.display()
        ))
    })?;
    let rules = read_rules(args.rules.as_deref())?;
    let input = argument_file(&args.visits, "visits")?;
    let (visits, refused) = audit::parse_lines(&input);
    let result = in_temp_store(&master, &rules, &visits, refused, args.threshold)?;
    for r in &result.refused {
        eprintln!("mrc: {}: line {}: {}", args.visits.display(), r.line, r.reason);
    }
    if let Some(out) = &args.out {
        let text =
            serde_json::to_string_pretty(&result.scores()).map_err(|e| CliError::Failed(e.to_string()))?;
        std::fs::write(out, format!("{text}\n")).map_err(|e| CliError::file(out, e))?;
    }
    let report = serde_json::json!({
        "visits": result.visits.len(),
        "refused": result.refused,
        "summary": result.summary,
    });
    output::emit(as_json, &report, |_| render(&result))?;
    if result.refused.is_empty() {
        Ok(())
    } else {
        Err(CliError::Silent(1))
    }
}

fn line(label: &str, g: &Group) -> String {
    let codes: Vec<String> = g
        .top_codes
        .iter()
        .map(|c| format!("{} {}", c.code, c.visits))
        .collect();
    format!(
        "{label:<10} {:>6} {:>6} {:>6.1}% {:>6.1} {:>6}  {}\n",
        g.visits,
        g.flagged,
        g.flagged_percent,
        g.mean_score,
        g.median_score,
        codes.join(", ")
    )
}

/// The summary as readable bilingual text.
pub(crate) fn render(result: &AuditResult) -> String {
    let s = &result.summary;
    let mut out = format!(
        "信頼性監査 Reliability audit — {} 件 visits, しきい値 threshold {} (未満を要確認 below = flagged)\n",
        result.visits.len(),
        s.threshold
    );
    out.push_str("担当 Rep    訪問数  要確認  割合     平均  中央値  主なコード Top codes\n");
    out.push_str("            visits flagged   share   mean median\n");
    for g in &s.reps {
        out.push_str(&line(g.rep_id.as_deref().unwrap_or("(なし none)"), g));
    }
    out.push_str(&line("チーム Team", &s.team));
    out.push_str("スコア分布 Score distribution (team)\n");
    let most = s
        .team
        .distribution
        .iter()
        .map(|b| b.visits)
        .max()
        .unwrap_or(0)
        .max(1);
    for b in &s.team.distribution {
        let bar = "█".repeat((b.visits * 40).div_ceil(most));
        out.push_str(&format!("  {:>3}–{:<3} {:>6} {bar}\n", b.from, b.to, b.visits));
    }
    if !result.refused.is_empty() {
        out.push_str(&format!(
            "読めない行 Refused lines: {} (詳細は stderr / details on stderr)\n",
            result.refused.len()
        ));
    }
    out
}

/// The last step of `mrc demo`: a short audit of the demo's own visits (the seeded month and what the story
/// added), replayed in entry order through the validator as head office would.
pub(crate) fn demo(
    n: u32,
    store: &mrc_core::Store,
    master: &MasterData,
    now: DateTime<FixedOffset>,
) -> Result<(), CliError> {
    println!("\n── {n}. 信頼性監査：デモ自身のデータ / a reliability audit of the demo's own data");
    let today = now.date_naive();
    let all = VisitFilter::Dates {
        from: today - chrono::Duration::days(400),
        to: today + chrono::Duration::days(1),
    };
    let mut visits = store.list_visits(&all)?;
    visits.reverse();
    let lines = audit::export::from_visits(&visits);
    let result = in_temp_store(
        master,
        &RuleSettings::default(),
        &lines,
        Vec::new(),
        audit::DEFAULT_THRESHOLD,
    )?;
    let team = &result.summary.team;
    let codes: Vec<String> = team
        .top_codes
        .iter()
        .map(|c| format!("{} {}", c.code, c.visits))
        .collect();
    println!(
        "  {} 件の訪問を入力順に再生 replayed in entry order: 要確認 flagged {} ({:.1}%), 平均 mean {:.1}",
        team.visits, team.flagged, team.flagged_percent, team.mean_score
    );
    println!("  主なコード top codes: {}", codes.join(", "));
    println!(
        "  （サンプルの訪問はすべて正規の記録 / the sample visits are genuine; \
         `mrc evaluate --seeds 1001-1020` measures fabricated ones）"
    );
    let mut lowest: Vec<&audit::Audited> = result.visits.iter().collect();
    lowest.sort_by_key(|v| (v.score, v.line));
    for v in lowest.iter().filter(|v| !v.codes.is_empty()).take(3) {
        let codes: Vec<&str> = v.codes.iter().map(|c| c.as_str()).collect();
        let when = visits
            .get(v.line.saturating_sub(1))
            .and_then(|x| x.fields.started_at)
            .map(|t| t.format("%m-%d %H:%M").to_string())
            .unwrap_or_default();
        println!(
            "  {:>3}/100 (正規の見込み genuine ≈ {:.0}%)  {when}  {}",
            v.score,
            100.0 * mrc_core::validate::probability_genuine(v.score),
            codes.join(", ")
        );
    }
    Ok(())
}
