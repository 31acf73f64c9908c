//! `mrc evaluate`: audit scores against labels — recall on fabricated visits, false alarms on genuine ones,
//! ROC AUC, per pattern, subtle or obvious, genuine look-alike and rep. Either files (`--labels`, `--scores`),
//! or `--seeds`: generate labeled months, audit and evaluate them in one go.

use std::{collections::BTreeMap, path::PathBuf};

use mrc_audit::{
    self as audit, evaluate as eval,
    evaluate::{Evaluation, Metrics},
};
use mrc_sample::fabricate;

use super::{
    audit::{in_temp_store, read_rules},
    fabricate::config,
};
use crate::{error::CliError, output};

#[derive(Debug, clap::Args)]
pub struct EvaluateArgs {
    /// Labels JSON: {"<id>": {"fabricated": true, "pattern": …}} (or true/false per id).
    #[arg(long, value_name = "FILE", requires = "scores", conflicts_with = "seeds")]
    pub labels: Option<PathBuf>,
    /// Scores JSON written by `mrc audit --out`.
    #[arg(long, value_name = "FILE")]
    pub scores: Option<PathBuf>,
    /// The audited visits (JSON Lines), to name each visit's rep when the labels do not.
    #[arg(long, value_name = "FILE")]
    pub visits: Option<PathBuf>,
    /// Generate, audit and evaluate labeled months of these seeds: `2001-2005` or `7,8,9`.
    #[arg(long, value_name = "SEEDS")]
    pub seeds: Option<String>,
    /// Reps per generated month (with --seeds).
    #[arg(long, default_value_t = 3)]
    pub reps: u32,
    /// Days per generated month (with --seeds).
    #[arg(long, default_value_t = 30)]
    pub days: u32,
    /// Share of fabricated visits per generated month (with --seeds).
    #[arg(long, default_value_t = 0.15)]
    pub fabricate: f64,
    /// World parameters of the generated months (with --seeds): `fixed`, `tuning` or `held-out` (ranges tuning
    /// never saw).
    #[arg(long, value_name = "DOMAIN", default_value = "fixed", value_parser = crate::commands::fabricate::domain)]
    pub domain: mrc_sample::fabricate::Domain,
    /// Rule settings JSON for the audit (with --seeds).
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Scores below this count as flagged.
    #[arg(long, default_value_t = audit::DEFAULT_THRESHOLD, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub threshold: u8,
}

fn seeds(text: &str) -> Result<Vec<u64>, CliError> {
    let bad = || CliError::Usage(format!("--seeds {text:?}: expected e.g. 2001-2005 or 7,8,9"));
    let mut out = Vec::new();
    for part in text.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (u64, u64) = (
                    a.trim().parse().map_err(|_| bad())?,
                    b.trim().parse().map_err(|_| bad())?,
                );
                if b < a || b - a > 1000 {
                    return Err(bad());
                }
                out.extend(a..=b);
            }
            None => out.push(part.trim().parse().map_err(|_| bad())?),
        }
    }
    Ok(out)
}

fn read(path: &PathBuf) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| CliError::Usage(format!("cannot read {}: {e}", path.display())))
}

pub fn run(args: &EvaluateArgs, as_json: bool) -> Result<(), CliError> {
    let mut scores: BTreeMap<String, u8> = BTreeMap::new();
    let mut labels = BTreeMap::new();
    let mut reps: BTreeMap<String, String> = BTreeMap::new();
    let mut title = String::new();
    if let Some(list) = &args.seeds {
        let rules = read_rules(args.rules.as_deref())?;
        let seeds = seeds(list)?;
        for seed in &seeds {
            let config = fabricate::FabricateConfig {
                domain: args.domain,
                ..config(
                    args.reps.max(1),
                    0,
                    0,
                    args.days,
                    args.fabricate.clamp(0.0, 0.9),
                    *seed,
                )
            };
            let month = fabricate::generate_labeled(&config);
            let visits: Vec<_> = month.visits.iter().map(|v| v.visit.clone()).collect();
            let result = in_temp_store(&month.master, &rules, &visits, Vec::new(), args.threshold)?;
            for v in &result.visits {
                scores.insert(eval::canonical_id(&v.id), v.score);
            }
            for (id, label) in month.labels() {
                labels.insert(eval::canonical_id(&id), label);
            }
        }
        title = format!(
            "seeds {list}: {} labeled months of {} reps, ",
            seeds.len(),
            args.reps
        );
    } else {
        let (Some(l), Some(s)) = (&args.labels, &args.scores) else {
            return Err(CliError::Usage(
                "give --labels FILE --scores FILE, or --seeds".into(),
            ));
        };
        labels = eval::parse_labels(&read(l)?)
            .map_err(|e| CliError::Usage(format!("{} is not usable labels: {e}", l.display())))?;
        let parsed: BTreeMap<String, audit::VisitScore> = serde_json::from_str(&read(s)?)
            .map_err(|e| CliError::Usage(format!("{} is not a scores file: {e}", s.display())))?;
        scores = parsed
            .into_iter()
            .map(|(id, v)| (eval::canonical_id(&id), v.score))
            .collect();
        if let Some(path) = &args.visits {
            let (visits, _) = audit::parse_lines(read(path)?.as_bytes());
            for v in visits {
                if let Some(rep) = v.fields.rep_id {
                    reps.insert(eval::canonical_id(&v.id_text), rep);
                }
            }
        }
    }
    let evaluation = eval::evaluate(&scores, &labels, &reps, args.threshold);
    output::emit(as_json, &evaluation, |e| render(e, &title))
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "—".into(), |v| format!("{:.1}%", v * 100.0))
}

fn auc(m: &Metrics) -> String {
    m.auc.map_or_else(|| "—".into(), |a| format!("{a:.3}"))
}

/// `text` padded to `width` terminal columns (kanji and kana take two).
fn pad(text: &str, width: usize) -> String {
    let used: usize = text.chars().map(|c| if c >= '\u{2E80}' { 2 } else { 1 }).sum();
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

/// The evaluation as a table: recall on fabricated visits, false alarms on genuine ones, ROC AUC.
fn render(e: &Evaluation, title: &str) -> String {
    let o = &e.overall;
    let mut out = format!(
        "評価 Evaluation — {title}threshold {} (score < threshold = flagged)\n\n",
        e.threshold
    );
    out.push_str(&format!(
        "{}{:>8} {:>8} {:>8} {:>8} {:>7}\n",
        pad("", 28),
        "visits",
        "fabric.",
        "recall",
        "f.alarm",
        "AUC"
    ));
    out.push_str(&format!(
        "{}{:>8} {:>8} {:>8} {:>8} {:>7}\n",
        pad("全体 overall", 28),
        o.fabricated + o.genuine,
        o.fabricated,
        pct(o.recall),
        pct(o.false_alarm_rate),
        auc(o)
    ));
    for p in &e.sweep {
        out.push_str(&format!(
            "{}{:>8} {:>8} {:>8} {:>8}\n",
            pad(
                &format!(
                    "しきい値 threshold {} (≤{}% f.alarm)",
                    p.threshold, p.max_false_alarm_percent
                ),
                28
            ),
            "",
            "",
            pct(p.recall),
            pct(p.false_alarm_rate)
        ));
    }
    out.push_str(&format!(
        "最多の同一スコア most common score among fabricated visits: {}\n",
        pct(e.largest_fabricated_score_share)
    ));
    out.push_str("\nパターン pattern / 巧妙さ subtlety (fabricated visits; AUC against all genuine ones)\n");
    for (k, m) in e.by_pattern.iter().chain(&e.by_subtlety) {
        out.push_str(&format!(
            "  {}{:>8} {:>8} {:>7}\n",
            pad(k, 26),
            m.fabricated,
            pct(m.recall),
            auc(m)
        ));
    }
    out.push_str("\n正規の紛らわしい習慣 genuine look-alikes (genuine visits, false alarms)\n");
    for (k, m) in &e.by_look_alike {
        out.push_str(&format!(
            "  {}{:>8} {:>8}\n",
            pad(k, 26),
            m.genuine,
            pct(m.false_alarm_rate)
        ));
    }
    out.push_str("\n担当 rep (visits, fabricated, recall, false alarms, AUC)\n");
    for (k, m) in &e.by_rep {
        out.push_str(&format!(
            "  {}{:>8} {:>8} {:>8} {:>8} {:>7}\n",
            pad(k, 26),
            m.fabricated + m.genuine,
            m.fabricated,
            pct(m.recall),
            pct(m.false_alarm_rate),
            auc(m)
        ));
    }
    if e.unscored + e.unlabeled > 0 {
        out.push_str(&format!(
            "\nラベルのみ labelled but not scored: {}, スコアのみ scored but not labelled: {}\n",
            e.unscored, e.unlabeled
        ));
    }
    out
}
