//! The audit's summary per rep and for the team: visits, flagged visits, the most frequent codes, the score
//! distribution.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Audited;

/// How many of the most frequent codes a summary lists.
const TOP_CODES: usize = 5;

/// How many visits carry a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeCount {
    pub code: String,
    pub visits: usize,
}

/// Visits with a score in `from..=to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Band {
    pub from: u8,
    pub to: u8,
    pub visits: usize,
}

/// The summary of one rep, or of the team (`rep_id` is `None`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub rep_id: Option<String>,
    pub visits: usize,
    /// Visits scoring below the threshold.
    pub flagged: usize,
    /// `flagged` as a percentage of `visits`, one decimal.
    pub flagged_percent: f64,
    pub mean_score: f64,
    pub median_score: u8,
    pub top_codes: Vec<CodeCount>,
    /// Ten bands: 0–9, 10–19, …, 90–100.
    pub distribution: Vec<Band>,
}

/// The whole summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub threshold: u8,
    pub team: Group,
    /// One per rep, by rep id (visits without a rep under `None`, last).
    pub reps: Vec<Group>,
}

pub(super) fn summarize(visits: &[Audited], threshold: u8) -> Summary {
    let mut by_rep: BTreeMap<Option<&str>, Vec<&Audited>> = BTreeMap::new();
    for v in visits {
        by_rep.entry(v.rep_id.as_deref()).or_default().push(v);
    }
    let mut reps: Vec<Group> = by_rep
        .iter()
        .filter(|(rep, _)| rep.is_some())
        .map(|(rep, list)| group(rep.map(str::to_owned), list, threshold))
        .collect();
    if let Some(list) = by_rep.get(&None) {
        reps.push(group(None, list, threshold));
    }
    let all: Vec<&Audited> = visits.iter().collect();
    Summary {
        threshold,
        team: group(None, &all, threshold),
        reps,
    }
}

fn group(rep_id: Option<String>, visits: &[&Audited], threshold: u8) -> Group {
    let n = visits.len();
    let flagged = visits.iter().filter(|v| v.score < threshold).count();
    let mut scores: Vec<u8> = visits.iter().map(|v| v.score).collect();
    scores.sort_unstable();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for v in visits {
        for code in &v.codes {
            *counts.entry(code.as_str()).or_default() += 1;
        }
    }
    let mut top: Vec<CodeCount> = counts
        .into_iter()
        .map(|(code, visits)| CodeCount {
            code: code.to_owned(),
            visits,
        })
        .collect();
    top.sort_by(|a, b| b.visits.cmp(&a.visits).then(a.code.cmp(&b.code)));
    top.truncate(TOP_CODES);
    let distribution = (0..10u8)
        .map(|band| {
            let (from, to) = (band * 10, if band == 9 { 100 } else { band * 10 + 9 });
            Band {
                from,
                to,
                visits: scores.iter().filter(|s| (from..=to).contains(*s)).count(),
            }
        })
        .collect();
    let one_decimal = |x: f64| (x * 10.0).round() / 10.0;
    Group {
        rep_id,
        visits: n,
        flagged,
        flagged_percent: if n == 0 {
            0.0
        } else {
            one_decimal(flagged as f64 * 100.0 / n as f64)
        },
        mean_score: if n == 0 {
            0.0
        } else {
            one_decimal(scores.iter().map(|s| f64::from(*s)).sum::<f64>() / n as f64)
        },
        median_score: scores.get(n / 2).copied().unwrap_or(0),
        top_codes: top,
        distribution,
    }
}
