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

/// The scores and codes of a set of visits, counted: what a [`Group`] is computed from (a server counts them in
/// SQL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreTally {
    /// How many visits scored each of 0–100.
    scores: [usize; 101],
    /// How many visits carry each code.
    codes: BTreeMap<String, usize>,
}

impl Default for ScoreTally {
    fn default() -> Self {
        ScoreTally {
            scores: [0; 101],
            codes: BTreeMap::new(),
        }
    }
}

impl ScoreTally {
    /// Counts `n` visits scoring `score` (above 100 counts as 100).
    pub fn add_score(&mut self, score: u8, n: usize) {
        self.scores[usize::from(score.min(100))] += n;
    }

    /// Counts `n` visits carrying `code`.
    pub fn add_code(&mut self, code: &str, n: usize) {
        *self.codes.entry(code.to_owned()).or_default() += n;
    }

    /// Adds another tally's counts.
    pub fn merge(&mut self, other: &ScoreTally) {
        for (mine, theirs) in self.scores.iter_mut().zip(other.scores) {
            *mine += theirs;
        }
        for (code, n) in &other.codes {
            self.add_code(code, *n);
        }
    }

    /// The summary of these visits.
    pub fn group(&self, rep_id: Option<String>, threshold: u8) -> Group {
        let n: usize = self.scores.iter().sum();
        let flagged: usize = self.scores[..usize::from(threshold.min(101))].iter().sum();
        let total: f64 = (0u8..=100)
            .map(|s| f64::from(s) * self.scores[usize::from(s)] as f64)
            .sum();
        let mut top: Vec<CodeCount> = (self.codes.iter())
            .filter(|(_, visits)| **visits > 0)
            .map(|(code, visits)| CodeCount {
                code: code.clone(),
                visits: *visits,
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
                    visits: self.scores[usize::from(from)..=usize::from(to)].iter().sum(),
                }
            })
            .collect();
        // The median as the audit has always given it: the (n/2)-th smallest score.
        let mut seen = 0;
        let median_score = (0u8..=100)
            .find(|s| {
                seen += self.scores[usize::from(*s)];
                seen > n / 2
            })
            .unwrap_or(0);
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
                one_decimal(total / n as f64)
            },
            median_score,
            top_codes: top,
            distribution,
        }
    }
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
    let mut tally = ScoreTally::default();
    for v in visits {
        tally.add_score(v.score, 1);
        for code in &v.codes {
            tally.add_code(code.as_str(), 1);
        }
    }
    tally.group(rep_id, threshold)
}
