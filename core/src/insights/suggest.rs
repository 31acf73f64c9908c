//! Proposals from the notes: the topics they touch, a possible adverse event, a question outside the approved use.
//!
//! The adverse-event rule, per sentence: no hypothetical or general question in it (もし, 場合, 頻度 …); the note
//! names a patient or a drug exposure (患者, 服用中, 開始後 …), or the sentence tells an event (出現, 中止, 訴え …);
//! and a cue — a symptom or an explicit word, or a lab value with a change within a few characters after it — that
//! no negation follows before an event does ("発疹なし" is negated, "発疹が出たが、その後は問題なし" is not).
//! Missing a real adverse event is the costly error, so the rule leans to proposing: the MR confirms.

use serde::Serialize;

use super::{
    lexicon::{AdverseEventCues, Lexicon},
    text::{fold, sentences},
};

/// How far after a cue a negation still negates it ("の報告は特になし": the なし is 6 characters on).
const NEGATION_WINDOW: usize = 8;
/// How far after a lab value its change may be written ("ALT 120まで上昇": 9 characters).
const LAB_CHANGE_WINDOW: usize = 12;

/// What the core proposes for one text of notes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct InsightSuggestions {
    /// The lexicon's version, so an accepted proposal says what proposed it.
    pub lexicon_version: u32,
    /// Topics, in the taxonomy's order.
    pub topics: Vec<TopicSuggestion>,
    /// A possible adverse event: prompt for a safety report.
    pub adverse_event: Option<InsightFlag>,
    /// A possible question outside the approved use: prompt to route it to Medical.
    pub off_label: Option<InsightFlag>,
}

/// A proposed topic and the term that proposed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TopicSuggestion {
    pub code: String,
    pub term: String,
}

/// Where a flag was raised: the sentence (0-based) and the cue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct InsightFlag {
    pub sentence: u32,
    pub cue: String,
}

/// Proposes topics and flags for `notes` with `lexicon`.
pub fn suggest(notes: &str, lexicon: &Lexicon) -> InsightSuggestions {
    let folded = fold(notes);
    let mut topics: Vec<TopicSuggestion> = lexicon
        .topics
        .iter()
        .filter_map(|topic| {
            let term = topic.terms.iter().find(|t| folded.contains(t.as_str()))?;
            Some(TopicSuggestion {
                code: topic.code.clone(),
                term: term.clone(),
            })
        })
        .collect();
    let sentences = sentences(&folded);
    let ae = &lexicon.adverse_event;
    let of_patient = ae.patients.iter().any(|p| folded.contains(p.as_str()));
    let adverse_event = sentences.iter().enumerate().find_map(|(i, s)| {
        adverse_cue(s, of_patient, ae).map(|cue| InsightFlag {
            sentence: sentence_number(i),
            cue: cue.to_owned(),
        })
    });
    // A possible adverse event is a safety topic too, whatever words it used.
    if let Some(flag) = &adverse_event {
        let safety = lexicon.topics.iter().find(|t| t.code == "safety");
        if let Some(safety) = safety.filter(|s| !topics.iter().any(|t: &TopicSuggestion| t.code == s.code)) {
            topics.push(TopicSuggestion {
                code: safety.code.clone(),
                term: flag.cue.clone(),
            });
            let order = |code: &str| lexicon.topics.iter().position(|t| t.code == code);
            topics.sort_by_key(|t| order(&t.code));
        }
    }
    let off_label = sentences.iter().enumerate().find_map(|(i, s)| {
        let term = lexicon.off_label.terms.iter().find(|t| s.contains(t.as_str()))?;
        Some(InsightFlag {
            sentence: sentence_number(i),
            cue: term.clone(),
        })
    });
    InsightSuggestions {
        lexicon_version: lexicon.version,
        topics,
        adverse_event,
        off_label,
    }
}

/// A sentence index as it crosses the FFI (notes have far fewer than 2^32 sentences).
fn sentence_number(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// The cue that makes `sentence` a possible adverse event, if any. `of_patient`: the note names a patient or a
/// drug exposure (患者, 服用中, 開始後 …) somewhere.
fn adverse_cue<'a>(sentence: &str, of_patient: bool, ae: &'a AdverseEventCues) -> Option<&'a str> {
    let has = |list: &[String]| list.iter().any(|t| sentence.contains(t.as_str()));
    if has(&ae.general) || !(of_patient || has(&ae.events)) {
        return None;
    }
    let symptom = ae.cues.iter().find(|cue| {
        sentence
            .match_indices(cue.as_str())
            .any(|(at, _)| !negated(&sentence[at + cue.len()..], ae))
    });
    let lab = || {
        ae.labs.iter().find(|lab| {
            sentence.match_indices(lab.as_str()).any(|(at, _)| {
                let rest = &sentence[at + lab.len()..];
                let near: String = rest.chars().take(LAB_CHANGE_WINDOW).collect();
                ae.lab_changes.iter().any(|c| near.contains(c.as_str())) && !negated(rest, ae)
            })
        })
    };
    symptom.or_else(lab).map(String::as_str)
}

/// Whether a negation comes right after a cue (within [`NEGATION_WINDOW`] characters of `rest`, what follows it)
/// before any event does. Farther on, "ない" belongs to another clause ("ぼーっとしてやる気がでない").
fn negated(rest: &str, ae: &AdverseEventCues) -> bool {
    let near: String = rest.chars().take(NEGATION_WINDOW).collect();
    let first = |list: &[String]| list.iter().filter_map(|t| near.find(t.as_str())).min();
    match (first(&ae.negations), first(&ae.events)) {
        (Some(negation), Some(event)) => negation < event,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ae(notes: &str) -> Option<String> {
        suggest(notes, Lexicon::builtin()).adverse_event.map(|f| f.cue)
    }

    #[test]
    fn events_of_a_patient_are_flagged_and_questions_and_negations_are_not() {
        assert_eq!(
            ae("72歳の患者さんで服用2週目に発疹が出たとのこと。").as_deref(),
            Some("発疹")
        );
        assert_eq!(ae("ふらつきのため減量した。").as_deref(), Some("ふらつき"));
        assert_eq!(ae("ＡＬＴ　１２０まで上昇、休薬中。").as_deref(), Some("alt"));
        assert_eq!(ae("副作用はなかったが、AST上昇あり。").as_deref(), Some("ast"));
        assert_eq!(
            ae("低血糖が出たが、その後は問題なし。").as_deref(),
            Some("低血糖")
        );
        assert_eq!(ae("副作用の報告は特になし。"), None);
        assert_eq!(ae("発疹、かゆみなし。継続処方。"), None);
        assert_eq!(ae("低血糖が出た場合の対応を質問された。"), None);
        assert_eq!(ae("eGFR30未満での用量を質問。"), None);
        assert_eq!(ae("他剤では低血糖が多いと聞いているとのこと。"), None);
    }

    #[test]
    fn topics_follow_the_taxonomy_order_and_off_label_questions_are_flagged() {
        let s = suggest(
            "腎機能低下例での用量と、他剤との比較データを希望。小児への投与について質問（適応外）。",
            Lexicon::builtin(),
        );
        let codes: Vec<&str> = s.topics.iter().map(|t| t.code.as_str()).collect();
        assert_eq!(codes, ["dosing_renal", "competitor"]);
        assert_eq!(s.off_label.map(|f| f.sentence), Some(1));
        assert_eq!(s.lexicon_version, 2);
    }
}
