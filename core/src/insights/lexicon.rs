//! The lexicon: topic codes with their Japanese terms (kana, kanji and abbreviation variants), and the cues of an
//! adverse-event mention and of a question outside the approved use. Versioned data, so head office can ship a new
//! one with the master data; [`Lexicon::builtin`] is the one this build carries.

use serde::{Deserialize, Serialize};

/// The topic codes of the built-in taxonomy, in its order.
pub const TOPICS: [&str; 11] = [
    "efficacy",
    "safety",
    "dosing_renal",
    "dosing_hepatic",
    "elderly",
    "interactions",
    "price_cost",
    "competitor",
    "guidelines",
    "patient_support",
    "administration",
];

/// A versioned lexicon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lexicon {
    pub version: u32,
    pub topics: Vec<TopicTerms>,
    pub adverse_event: AdverseEventCues,
    pub off_label: OffLabelCues,
}

/// One topic: its code, names and the terms that suggest it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicTerms {
    pub code: String,
    pub ja: String,
    pub en: String,
    pub terms: Vec<String>,
}

/// What makes a sentence a possible adverse event (`super::suggest` has the rule): a finding — a symptom or an
/// explicit cue, a word ending as findings do, or a lab value changing the abnormal way — not negated before an
/// event follows, in a note that names a patient, a drug exposure or an event, outside a general question.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AdverseEventCues {
    /// Symptoms, findings and explicit words (副作用, 有害事象).
    pub cues: Vec<String>,
    /// Endings that make a word a finding (血症: 高K血症, 低Mg血症; 炎: 大腸炎; 増殖: 歯肉増殖), after at least one
    /// kanji, kana or letter.
    #[serde(default)]
    pub finding_endings: Vec<String>,
    /// Lab values: a cue only with a change close after them.
    pub labs: Vec<String>,
    /// Changes abnormal whichever way (悪化, 異常).
    pub lab_changes: Vec<String>,
    /// A rise (上昇, ↑; and `a→b` with b > a): abnormal unless the lab is in `labs_low_abnormal`.
    #[serde(default)]
    pub lab_rises: Vec<String>,
    /// A fall (低下, ↓; and `a→b` with b < a): abnormal only for `labs_low_abnormal`.
    #[serde(default)]
    pub lab_falls: Vec<String>,
    /// Labs whose fall is the abnormal way (eGFR, 血小板, 好中球 …); HbA1c or LDL falling is the drug working.
    #[serde(default)]
    pub labs_low_abnormal: Vec<String>,
    /// Labs abnormal whichever way they move (K, Na, 血糖, 体重).
    #[serde(default)]
    pub labs_both_ways: Vec<String>,
    /// Values outside which a lab is abnormal even with no change written (K 6.2, BG 48, TSH 45).
    #[serde(default)]
    pub lab_limits: Vec<LabLimit>,
    /// Something happened (出た, 中止, 減量 …).
    pub events: Vec<String>,
    /// A drug exposure a change may follow (開始後, 飲み始め, 変えてから, 打ったあと).
    #[serde(default)]
    pub exposures: Vec<String>,
    /// A change told of the patient after an exposure, whatever it is (なった, 出た, 言って, 増えた).
    #[serde(default)]
    pub changes: Vec<String>,
    /// An improvement: the change is the drug working (改善, 良くなっ).
    #[serde(default)]
    pub improvements: Vec<String>,
    /// A patient, a case or a drug exposure is named (患者で, 1例, 服用中 …).
    pub patients: Vec<String>,
    pub negations: Vec<String>,
    /// Nothing was seen, anywhere in the sentence (該当症例なし, 一例も, 経験なし).
    #[serde(default)]
    pub none_seen: Vec<String>,
    /// A general or hypothetical question (場合, 質問, 他剤の …).
    pub general: Vec<String>,
}

/// The range outside which a lab value is abnormal, in the unit Japanese reports use for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabLimit {
    pub lab: String,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// How far after a lab's name its value may be written (`K 6.2`, `Kが5.9`, `TSH: 45`).
const VALUE_WINDOW: usize = 4;

impl LabLimit {
    /// Whether the first value written just after the lab's name (`rest`) is outside the range.
    pub fn broken_by(&self, rest: &str) -> bool {
        let start = rest
            .char_indices()
            .take(VALUE_WINDOW)
            .find(|(_, c)| c.is_ascii_digit());
        let Some((at, _)) = start else {
            return false;
        };
        let digits: String = (rest[at..].chars())
            .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | ','))
            .filter(|c| *c != ',')
            .collect();
        digits.trim_end_matches('.').parse::<f64>().is_ok_and(|value| {
            self.low.is_some_and(|low| value < low) || self.high.is_some_and(|high| value > high)
        })
    }
}

/// What makes a note a possible question outside the approved use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OffLabelCues {
    pub terms: Vec<String>,
}

impl Lexicon {
    /// The lexicon this build carries (`lexicon_ja.json`).
    pub fn builtin() -> &'static Lexicon {
        static BUILTIN: std::sync::LazyLock<Lexicon> = std::sync::LazyLock::new(|| {
            Lexicon::from_json(include_str!("lexicon_ja.json")).unwrap_or_else(|_| Lexicon::empty())
        });
        &BUILTIN
    }

    /// A lexicon from its JSON form, its terms folded as notes are.
    pub fn from_json(json: &str) -> Result<Lexicon, serde_json::Error> {
        let mut lexicon: Lexicon = serde_json::from_str(json)?;
        let fold_all = |terms: &mut Vec<String>| terms.iter_mut().for_each(|t| *t = super::text::fold(t));
        lexicon.topics.iter_mut().for_each(|t| fold_all(&mut t.terms));
        let ae = &mut lexicon.adverse_event;
        for list in [
            &mut ae.cues,
            &mut ae.finding_endings,
            &mut ae.labs,
            &mut ae.lab_changes,
            &mut ae.lab_rises,
            &mut ae.lab_falls,
            &mut ae.labs_low_abnormal,
            &mut ae.labs_both_ways,
            &mut ae.events,
            &mut ae.exposures,
            &mut ae.changes,
            &mut ae.improvements,
            &mut ae.patients,
            &mut ae.negations,
            &mut ae.none_seen,
            &mut ae.general,
        ] {
            fold_all(list);
        }
        ae.lab_limits
            .iter_mut()
            .for_each(|l| l.lab = super::text::fold(&l.lab));
        fold_all(&mut lexicon.off_label.terms);
        Ok(lexicon)
    }

    /// A lexicon that suggests nothing.
    fn empty() -> Lexicon {
        Lexicon {
            version: 0,
            topics: Vec::new(),
            adverse_event: AdverseEventCues::default(),
            off_label: OffLabelCues { terms: Vec::new() },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_lexicon_loads_with_every_topic_of_the_taxonomy() {
        let lexicon = Lexicon::builtin();
        assert_eq!(lexicon.version, 5);
        let codes: Vec<&str> = lexicon.topics.iter().map(|t| t.code.as_str()).collect();
        assert_eq!(codes, TOPICS);
        assert!(lexicon
            .topics
            .iter()
            .all(|t| !t.terms.is_empty() && !t.ja.is_empty()));
        assert!(lexicon.adverse_event.cues.contains(&"副作用".to_owned()));
    }
}
