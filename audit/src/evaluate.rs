//! Measuring audit scores against labels: recall on fabricated visits, false-alarm rate on genuine ones and ROC
//! AUC, overall and per fabrication pattern, subtle or obvious, genuine look-alike and rep.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use mrc_core::json_path::{self, JsonError};

/// The truth about one visit.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Label {
    pub fabricated: bool,
    /// The fabrication pattern (`copied_notes`, `entry_burst`, …), for fabricated visits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// Whether the fabrication was made to look genuine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtle: Option<bool>,
    /// The genuine habit this visit shows that resembles a fabrication (`memo_paste`, `follow_up`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub look_alike: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rep_id: Option<String>,
}

/// Recall, false alarms and AUC of one group of visits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    pub fabricated: usize,
    pub genuine: usize,
    /// Share of fabricated visits flagged (`None` without fabricated visits).
    pub recall: Option<f64>,
    /// Share of genuine visits flagged (`None` without genuine visits).
    pub false_alarm_rate: Option<f64>,
    /// Probability that a fabricated visit scores lower than a genuine one (ties count half).
    pub auc: Option<f64>,
}

/// An operating point: the highest threshold (the best recall) whose false-alarm rate stays within a limit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperatingPoint {
    /// The false-alarm limit, percent.
    pub max_false_alarm_percent: u8,
    pub threshold: u8,
    pub recall: Option<f64>,
    pub false_alarm_rate: Option<f64>,
}

/// The whole evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub threshold: u8,
    pub overall: Metrics,
    /// Where the scores would meet "at most 5 % false alarms" best.
    pub at_five_percent: OperatingPoint,
    /// The trade-off: the best operating point at most 1, 2, 5 and 10 % false alarms.
    pub sweep: Vec<OperatingPoint>,
    /// How graded the scores are: the share of fabricated visits holding the most common score value.
    pub largest_fabricated_score_share: Option<f64>,
    /// Each pattern's fabricated visits against all genuine visits.
    pub by_pattern: BTreeMap<String, Metrics>,
    /// `subtle` and `obvious` fabrications against all genuine visits.
    pub by_subtlety: BTreeMap<String, Metrics>,
    /// Each look-alike's genuine visits (their false-alarm rate) against all fabricated visits.
    pub by_look_alike: BTreeMap<String, Metrics>,
    pub by_rep: BTreeMap<String, Metrics>,
    /// Labelled visits without a score, and scored visits without a label.
    pub unscored: usize,
    pub unlabeled: usize,
}

/// Canonical form of an id for matching labels with scores (UUIDs in lower-case hyphenated form).
pub fn canonical_id(id: &str) -> String {
    uuid::Uuid::parse_str(id.trim()).map_or_else(|_| id.to_owned(), |u| u.hyphenated().to_string())
}

/// Reads labels: an object `{"<id>": true | "fabricated" | {"fabricated": true, …}}`, or a list of objects with
/// an `id`. `fabricated` may also be spelled `is_fabricated`, or given as `label: "fabricated" | "genuine"`.
pub fn parse_labels(text: &str) -> Result<BTreeMap<String, Label>, JsonError> {
    let value: Value = json_path::parse(text)?;
    let mut out = BTreeMap::new();
    match value {
        Value::Object(map) => {
            for (id, v) in map {
                let label = label(&v).ok_or_else(|| JsonError::at(format!("/{id}"), "not a label"))?;
                out.insert(canonical_id(&id), label);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let id = v.get("id").and_then(Value::as_str);
                let (Some(id), Some(label)) = (id, label(v)) else {
                    return Err(JsonError::at(format!("/{i}"), "needs an id and a label"));
                };
                out.insert(canonical_id(id), label);
            }
        }
        _ => return Err(JsonError::at("", "labels must be an object or a list")),
    }
    Ok(out)
}

fn truth(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|n| n != 0),
        Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "fabricated" | "fake" | "dummy" | "true" | "1" => Some(true),
            "genuine" | "real" | "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn label(v: &Value) -> Option<Label> {
    if let Some(fabricated) = truth(v) {
        return Some(Label {
            fabricated,
            ..Label::default()
        });
    }
    let text = |key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
    let fabricated = ["fabricated", "is_fabricated", "label"]
        .iter()
        .find_map(|k| v.get(*k).and_then(truth))?;
    Some(Label {
        fabricated,
        pattern: text("pattern").or_else(|| text("kind")),
        subtle: v.get("subtle").and_then(Value::as_bool),
        look_alike: text("look_alike"),
        rep_id: text("rep_id"),
    })
}

/// Metrics of `(score, fabricated)` pairs at `threshold` (flagged = score below it).
pub fn metrics(pairs: &[(u8, bool)], threshold: u8) -> Metrics {
    let mut fab = [0usize; 101];
    let mut gen = [0usize; 101];
    for (score, fabricated) in pairs {
        let slot = usize::from((*score).min(100));
        if *fabricated {
            fab[slot] += 1;
        } else {
            gen[slot] += 1;
        }
    }
    let (nf, ng) = (fab.iter().sum::<usize>(), gen.iter().sum::<usize>());
    let below = |counts: &[usize; 101]| counts[..usize::from(threshold.min(101))].iter().sum::<usize>();
    let share = |part: usize, all: usize| (all > 0).then(|| part as f64 / all as f64);
    // AUC: for each score, fabricated visits there beat every genuine visit scoring higher, tie with equals.
    let mut wins = 0.0;
    let mut genuine_above = ng;
    for s in 0..=100 {
        genuine_above -= gen[s];
        wins += fab[s] as f64 * (genuine_above as f64 + gen[s] as f64 / 2.0);
    }
    Metrics {
        fabricated: nf,
        genuine: ng,
        recall: share(below(&fab), nf),
        false_alarm_rate: share(below(&gen), ng),
        auc: (nf > 0 && ng > 0).then(|| wins / (nf as f64 * ng as f64)),
    }
}

/// Evaluates `scores` (id → score) against `labels` (both keyed by [`canonical_id`]); `reps` (id → rep) fills in
/// reps the labels do not name.
pub fn evaluate(
    scores: &BTreeMap<String, u8>,
    labels: &BTreeMap<String, Label>,
    reps: &BTreeMap<String, String>,
    threshold: u8,
) -> Evaluation {
    let joined: Vec<(u8, &Label, Option<&str>)> = labels
        .iter()
        .filter_map(|(id, l)| {
            let rep = l.rep_id.as_deref().or(reps.get(id).map(String::as_str));
            scores.get(id).map(|s| (*s, l, rep))
        })
        .collect();
    let all: Vec<(u8, bool)> = joined.iter().map(|(s, l, _)| (*s, l.fabricated)).collect();
    let genuine: Vec<(u8, bool)> = all.iter().copied().filter(|(_, f)| !f).collect();
    let fabricated: Vec<(u8, bool)> = all.iter().copied().filter(|(_, f)| *f).collect();
    let mut groups: [BTreeMap<String, Vec<(u8, bool)>>; 4] = Default::default();
    for (score, l, rep) in &joined {
        if l.fabricated {
            let pattern = l.pattern.clone().unwrap_or_else(|| "unspecified".into());
            groups[0].entry(pattern).or_default().push((*score, true));
            if let Some(subtle) = l.subtle {
                let key = if subtle { "subtle" } else { "obvious" };
                groups[1].entry(key.into()).or_default().push((*score, true));
            }
        } else if let Some(look) = &l.look_alike {
            groups[2].entry(look.clone()).or_default().push((*score, false));
        }
        let rep = rep.unwrap_or("(none)").to_owned();
        groups[3].entry(rep).or_default().push((*score, l.fabricated));
    }
    let [pattern, subtlety, look, rep] = groups;
    let against = |group: BTreeMap<String, Vec<(u8, bool)>>, others: &[(u8, bool)]| {
        group
            .into_iter()
            .map(|(k, mut v)| {
                v.extend_from_slice(others);
                (k, metrics(&v, threshold))
            })
            .collect()
    };
    let sweep: Vec<OperatingPoint> = [1, 2, 5, 10].iter().map(|&p| operating_point(&all, p)).collect();
    let mut per_score = [0usize; 101];
    for (s, _) in &fabricated {
        per_score[usize::from((*s).min(100))] += 1;
    }
    let largest = per_score.iter().max().copied().unwrap_or(0);
    Evaluation {
        threshold,
        overall: metrics(&all, threshold),
        at_five_percent: operating_point(&all, 5),
        sweep,
        largest_fabricated_score_share: (!fabricated.is_empty())
            .then(|| largest as f64 / fabricated.len() as f64),
        by_pattern: against(pattern, &genuine),
        by_subtlety: against(subtlety, &genuine),
        by_look_alike: against(look, &fabricated),
        by_rep: rep
            .into_iter()
            .map(|(k, v)| (k, metrics(&v, threshold)))
            .collect(),
        unscored: labels.keys().filter(|id| !scores.contains_key(*id)).count(),
        unlabeled: scores.keys().filter(|id| !labels.contains_key(*id)).count(),
    }
}

/// The highest threshold whose false-alarm rate stays within `percent` %.
fn operating_point(all: &[(u8, bool)], percent: u8) -> OperatingPoint {
    let limit = f64::from(percent) / 100.0;
    (0..=101u8)
        .rev()
        .map(|t| (t, metrics(all, t)))
        .find(|(_, m)| m.false_alarm_rate.is_none_or(|f| f <= limit))
        .map(|(t, m)| OperatingPoint {
            max_false_alarm_percent: percent,
            threshold: t,
            recall: m.recall,
            false_alarm_rate: m.false_alarm_rate,
        })
        .unwrap_or(OperatingPoint {
            max_false_alarm_percent: percent,
            threshold: 0,
            recall: None,
            false_alarm_rate: None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_recall_and_false_alarms() {
        let pairs = [
            (10, true),
            (40, true),
            (60, true),
            (90, false),
            (40, false),
            (100, false),
        ];
        let m = metrics(&pairs, 50);
        assert_eq!((m.fabricated, m.genuine), (3, 3));
        assert_eq!(m.recall, Some(2.0 / 3.0));
        assert_eq!(m.false_alarm_rate, Some(1.0 / 3.0));
        // Pairs won: 10 beats 3, 40 beats 2 and ties 1, 60 beats 2 → 7.5 of 9.
        assert_eq!(m.auc, Some(7.5 / 9.0));
        assert_eq!(metrics(&[(5, true)], 50).auc, None);
        // The sweep: at ≤ 1/2/5/10 % false alarms here only threshold 40 qualifies (no genuine visit below it).
        let sweep: Vec<_> = [1, 10].iter().map(|&p| operating_point(&pairs, p)).collect();
        assert_eq!((sweep[0].threshold, sweep[0].recall), (40, Some(1.0 / 3.0)));
        assert_eq!(sweep[1].false_alarm_rate, Some(0.0));
    }

    #[test]
    fn labels_in_several_shapes() {
        let labels = parse_labels(
            r#"{"0191F2B4-6A1E-7C3D-9A51-3F0C2D4E5A6B": {"fabricated": true, "pattern": "copied_notes"},
                "v2": false, "v3": "genuine", "v4": {"label": "fabricated", "kind": "entry_burst"}}"#,
        )
        .unwrap();
        assert!(labels["0191f2b4-6a1e-7c3d-9a51-3f0c2d4e5a6b"].fabricated);
        assert_eq!(labels["v4"].pattern.as_deref(), Some("entry_burst"));
        assert!(!labels["v3"].fabricated);
        let list = parse_labels(r#"[{"id": "a", "is_fabricated": 1}]"#).unwrap();
        assert!(list["a"].fabricated);
        assert_eq!(parse_labels(r#"{"a": {"x": 1}}"#).unwrap_err().path, "/a");
    }
}
