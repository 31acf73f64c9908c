//! Proposals from the notes: the topics they touch, a possible adverse event, a question outside the approved use.
//!
//! The adverse-event rule, per sentence: no hypothetical or general question in it (もし, 場合, 頻度 …) and nothing
//! said to be absent (該当症例なし, 一例も); the note names a patient, a drug exposure or an event (患者, 服用中,
//! 開始後, 中止, 訴え …); and a finding — a symptom or an explicit word, a word ending as findings do (高K血症,
//! 大腸炎), or a lab value changing the abnormal way within a few characters after it (ALT 32→196, eGFR 低下; not
//! HbA1c 8.4→7.2) — that no negation follows before an event does ("発疹なし" is negated, "発疹が出たが、その後は
//! 問題なし" is not).
//! Missing a real adverse event is the costly error, so the rule leans to proposing: the MR confirms.

use serde::Serialize;

use super::{
    lexicon::{AdverseEventCues, Lexicon},
    text::{fold, sentences},
};

/// How far after a cue a negation still negates it ("の報告は特になし": the なし is 6 characters on).
const NEGATION_WINDOW: usize = 8;
/// How far after a lab value its change may be written ("ALT 120まで上昇": 9 characters).
const LAB_CHANGE_WINDOW: usize = 16;

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
    let named = |list: &[String]| list.iter().any(|p| folded.contains(p.as_str()));
    let in_context = named(&ae.patients) || named(&ae.events) || named(&ae.exposures);
    let adverse_event = sentences.iter().enumerate().find_map(|(i, s)| {
        adverse_cue(s, in_context, ae).map(|cue| InsightFlag {
            sentence: sentence_number(i),
            cue,
        })
    });
    // A possible adverse event is a safety topic too, whatever words it used; so is a symptom named at all (its
    // frequency asked, its absence told).
    let symptom = || ae.cues.iter().find(|cue| folded.contains(cue.as_str())).cloned();
    if let Some(term) = adverse_event
        .as_ref()
        .map(|flag| flag.cue.clone())
        .or_else(symptom)
    {
        let safety = lexicon.topics.iter().find(|t| t.code == "safety");
        if let Some(safety) = safety.filter(|s| !topics.iter().any(|t: &TopicSuggestion| t.code == s.code)) {
            topics.push(TopicSuggestion {
                code: safety.code.clone(),
                term,
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

/// The cue that makes `sentence` a possible adverse event, if any. `in_context`: the note names a patient, a drug
/// exposure or an event (患者, 服用中, 開始後, 中止 …) somewhere.
fn adverse_cue(sentence: &str, in_context: bool, ae: &AdverseEventCues) -> Option<String> {
    let has = |list: &[String]| list.iter().any(|t| sentence.contains(t.as_str()));
    if !in_context || has(&ae.none_seen) {
        return None;
    }
    let told =
        |at: usize, len: usize| !general_near(sentence, at, len, ae) && !negated(&sentence[at + len..], ae);
    let found = |list: &[String], at_word: &dyn Fn(usize, usize) -> bool| {
        list.iter().find_map(|cue| {
            (sentence.match_indices(cue.as_str()))
                .find(|(at, _)| at_word(*at, cue.len()) && told(*at, cue.len()))
                .map(|(at, _)| at)
                .map(|at| (at, cue.len()))
        })
    };
    // An ASCII cue is a whole word: "ild" is not in "child", "aria" not in "urticaria".
    let starts_a_word = |at: usize, len: usize| {
        let ascii = |c: char| c.is_ascii_alphanumeric();
        let cue = &sentence[at..at + len];
        let glued_before = cue.starts_with(ascii) && sentence[..at].ends_with(ascii);
        let glued_after = cue.ends_with(ascii) && sentence[at + len..].starts_with(ascii);
        !glued_before && !glued_after
    };
    let symptom = || found(&ae.cues, &starts_a_word).map(|(at, len)| sentence[at..at + len].to_owned());
    // The cue is the whole word the ending closes (高k血症, not 血症).
    let ending = || {
        let (at, len) = found(&ae.finding_endings, &|at, len| ends_a_word(sentence, at, len))?;
        let start = (sentence[..at].char_indices().rev())
            .take_while(|(_, c)| word_char(*c))
            .last()
            .map_or(at, |(i, _)| i);
        Some(sentence[start..at + len].to_owned())
    };
    let lab = || {
        ae.labs.iter().find(|lab| {
            sentence.match_indices(lab.as_str()).any(|(at, _)| {
                let rest = &sentence[at + lab.len()..];
                let named = |list: &[String]| list.iter().any(|l| l.trim() == lab.trim());
                let abnormal = match (named(&ae.labs_low_abnormal), named(&ae.labs_both_ways)) {
                    (_, true) => Abnormal::EitherWay,
                    (true, false) => Abnormal::Low,
                    (false, false) => Abnormal::High,
                };
                let limit = ae.lab_limits.iter().find(|l| l.lab.trim() == lab.trim());
                let moved = abnormal_change(rest, abnormal, ae) || limit.is_some_and(|l| l.broken_by(rest));
                starts_a_word(at, lab.len()) && moved && told(at, lab.len())
            })
        })
    };
    symptom()
        .or_else(ending)
        .or_else(|| lab().map(|l| l.trim().to_owned()))
        .or_else(|| changed_after_exposure(sentence, ae))
}

/// How far (characters) a general or hypothetical word reaches from a finding: a whole sentence as people write
/// them, a clause of a voice-input run-on that has no stops.
const GENERAL_WINDOW: usize = 20;

/// Whether a general or hypothetical word (場合, 頻度, 資料 …) is within [`GENERAL_WINDOW`] characters of the
/// finding at `at..at + len` of `sentence`.
fn general_near(sentence: &str, at: usize, len: usize, ae: &AdverseEventCues) -> bool {
    let start = (sentence[..at].char_indices().rev().take(GENERAL_WINDOW).last()).map_or(at, |(i, _)| i);
    let after = &sentence[at + len..];
    let end = at
        + len
        + after
            .char_indices()
            .nth(GENERAL_WINDOW)
            .map_or(after.len(), |(i, _)| i);
    let near = &sentence[start..end];
    ae.general.iter().any(|g| near.contains(g.as_str()))
}

/// How far (characters) after an exposure a change is still told of it.
const EXPOSURE_REACH: usize = 30;

/// How many characters of a sentence a change after an exposure is shown with.
const CHANGE_SHOWN: usize = 24;

/// A change told after a drug exposure in one sentence (飲み始めてから…ぼんやりして, 開始後…になった), where no
/// improvement is told: something happened to the patient, whatever it is called. The cue is the sentence from the
/// exposure on.
fn changed_after_exposure(sentence: &str, ae: &AdverseEventCues) -> Option<String> {
    let has = |list: &[String]| list.iter().any(|t| sentence.contains(t.as_str()));
    if has(&ae.improvements) {
        return None;
    }
    let exposed = (ae.exposures.iter())
        .filter_map(|e| sentence.find(e.as_str()))
        .min()?;
    let rest = &sentence[exposed..];
    let rest = &rest[..rest
        .char_indices()
        .nth(EXPOSURE_REACH)
        .map_or(rest.len(), |(i, _)| i)];
    let changed = ae.changes.iter().any(|c| {
        rest.match_indices(c.as_str()).any(|(at, _)| {
            !negated(&rest[at + c.len()..], ae) && !general_near(sentence, exposed, at + c.len(), ae)
        })
    });
    changed.then(|| rest.chars().take(CHANGE_SHOWN).collect())
}

/// Characters before which an ending does not make a finding: 鎮痛薬, 消炎剤, 痛風, 炎症性, 疼痛管理, 疼痛緩和.
const NOT_A_FINDING_BEFORE: [char; 8] = ['薬', '剤', '風', '性', '作', '管', '緩', '治'];

/// Whether the ending at `at..at + len` of `sentence` closes a word naming a finding: a kanji, kana or letter
/// before it, and no word going on after it that makes it something else.
fn ends_a_word(sentence: &str, at: usize, len: usize) -> bool {
    let before = sentence[..at].chars().next_back().is_some_and(word_char);
    let after = sentence[at + len..].chars().next();
    before && !after.is_some_and(|c| NOT_A_FINDING_BEFORE.contains(&c))
}

/// A character of a word a finding's ending can close: a kanji, a katakana or an ASCII letter or digit.
fn word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || ('\u{30A0}'..='\u{30FF}').contains(&c) || is_kanji(c)
}

fn is_kanji(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// Which way a lab value moving is abnormal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Abnormal {
    /// Rising (AST, CK, HbA1c): most labs.
    High,
    /// Falling (eGFR, 血小板).
    Low,
    /// Either way (K, Na, 血糖, 体重).
    EitherWay,
}

/// Whether what follows a lab value (`rest`) tells an abnormal change within [`LAB_CHANGE_WINDOW`] characters:
/// `a→b` the abnormal way, a change abnormal either way (悪化), a rise (上昇, ↑) of a lab abnormal high, or a fall
/// (低下, ↓) of one abnormal low. HbA1c 8.4→7.2 is the drug working.
fn abnormal_change(rest: &str, abnormal: Abnormal, ae: &AdverseEventCues) -> bool {
    let near: String = rest.chars().take(LAB_CHANGE_WINDOW).collect();
    let any = |list: &[String]| list.iter().any(|c| near.contains(c.as_str()));
    let (high, low) = (abnormal != Abnormal::Low, abnormal != Abnormal::High);
    if let Some((from, to)) = arrow_values(&near) {
        return (high && to > from) || (low && to < from);
    }
    any(&ae.lab_changes) || (high && any(&ae.lab_rises)) || (low && any(&ae.lab_falls))
}

/// The two values of the first `a→b` (or `a->b`) in `text`.
fn arrow_values(text: &str) -> Option<(f64, f64)> {
    let (at, arrow) = ["→", "->"]
        .iter()
        .filter_map(|a| text.find(a).map(|at| (at, a.len())))
        .min()?;
    let number = |digits: String| digits.parse::<f64>().ok();
    let is_digit = |c: &char| c.is_ascii_digit() || *c == '.';
    // "BP 130台→170": the value before the arrow may carry a range mark.
    let before = text[..at]
        .trim_end()
        .trim_end_matches(['台', '前', '後'])
        .trim_end();
    let before: Vec<char> = before.chars().rev().take_while(is_digit).collect();
    let from = number(before.into_iter().rev().collect())?;
    let to = number(
        text[at + arrow..]
            .trim_start()
            .chars()
            .take_while(is_digit)
            .collect(),
    )?;
    Some((from, to))
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
    fn a_lab_value_counts_only_when_it_moves_the_abnormal_way() {
        assert_eq!(ae("リピスタ開始後、ALT 32→196。").as_deref(), Some("alt"));
        assert_eq!(ae("カボメル開始後、BP 130台→170/100。").as_deref(), Some("bp"));
        assert_eq!(ae("開始3か月でｅＧＦＲ　５８→４１。").as_deref(), Some("egfr"));
        assert_eq!(ae("開始3か月、HbA1c 8.4→7.2に改善。"), None);
        assert_eq!(ae("開始後、eGFR 45→52。"), None);
        assert_eq!(ae("投与2クール目で血小板が低下。").as_deref(), Some("血小板"));
        assert_eq!(ae("投与後にHbA1cが低下した。"), None);
    }

    #[test]
    fn a_word_ending_as_findings_do_is_a_cue_told_whole() {
        assert_eq!(
            ae("ネフロガード服用中に低リン血症で入院。").as_deref(),
            Some("低リン血症")
        );
        assert_eq!(
            ae("カルシブロック増量後に歯肉増殖。").as_deref(),
            Some("歯肉増殖")
        );
        // Not a finding: a drug (鎮痛薬), a disease named as a word's start (痛風).
        assert_eq!(ae("服用中の鎮痛薬を確認した。"), None);
        assert_eq!(ae("服用中の患者、痛風の既往を確認。"), None);
    }

    #[test]
    fn nothing_seen_anywhere_in_the_sentence_raises_nothing() {
        assert_eq!(ae("添付文書改訂をご説明、該当症例なしとのこと。"), None);
        assert_eq!(ae("処方した患者で腎機能悪化例はこれまで経験なし。"), None);
        assert_eq!(ae("鼻血が止まらないと患者から連絡。").as_deref(), Some("鼻血"));
        assert_eq!(
            ae("服用後、夜間に興奮。せん妄ではないかとNs。").as_deref(),
            Some("興奮")
        );
    }

    #[test]
    fn a_change_told_after_a_drug_whatever_it_is_called_is_a_possible_event() {
        // No symptom of the lexicon: the change after the exposure is the cue.
        let cue = ae("シルヴァン錠飲み始めてから朝に手が冷たく感じるようになったと患者さん。");
        assert!(cue.is_some_and(|c| c.starts_with("飲み始めてから朝に手が冷たく")));
        // The drug working is not an event.
        assert_eq!(ae("飲み始めてから血糖が安定するようになったと患者さん。"), None);
    }

    #[test]
    fn an_ascii_cue_is_a_whole_word_and_a_general_word_reaches_only_its_clause() {
        assert_eq!(ae("Maeda先生の患者で用量を相談。"), None);
        assert_eq!(ae("AE報告済みの患者。").as_deref(), Some("ae"));
        // A voice-input run-on: the question far after the event does not make the event general.
        let run_on = "えーと先生のところでパルミード錠の患者さんが幻聴が聞こえるって言ってて\
                      それとは別に高齢者の開始用量の資料も次回持ってきてほしいとのことでした";
        assert_eq!(ae(run_on).as_deref(), Some("幻聴"));
    }

    #[test]
    fn a_lab_value_outside_its_range_is_a_finding_without_a_change_written() {
        assert_eq!(
            ae("レナフィット開始後にK 6.2 mEq/L、中止。").as_deref(),
            Some("k")
        );
        assert_eq!(
            ae("グリマレクス追加後、夜間にBG 48 mg/dLで救急搬送。").as_deref(),
            Some("bg")
        );
        assert_eq!(ae("イムノレクト3コース後にTSH 45。").as_deref(), Some("tsh"));
        // Within range, or a dose in mg: nothing.
        assert_eq!(ae("レナフィット開始後のK 4.6、問題なく継続。"), None);
        assert_eq!(ae("服用中の患者、CK 1.0 mg/dLではない。"), None);
        // Potassium is abnormal either way; a weight gain is a finding too.
        assert_eq!(ae("利尿薬開始後にKが3.2まで低下。").as_deref(), Some("k"));
        assert_eq!(ae("増量後3Mで体重+6kg。").as_deref(), Some("体重"));
    }

    proptest::proptest! {
        /// Whatever an MR types (any text, and text made of what the rule slices around: kana, kanji, full-width
        /// digits, arrows, signs), the proposals come back without a panic.
        #[test]
        fn any_notes_get_proposals_without_a_panic(
            any in "\\PC{0,160}",
            japanese in "[ぁ-んァ-ヶ一-龯０-９ａ-ｚＡ-Ｚ。、「」（）→↑↓＋－ 0-9a-zA-Z.,:/+-]{0,120}",
        ) {
            for notes in [any, japanese] {
                let s = suggest(&notes, Lexicon::builtin());
                proptest::prop_assert!(s.adverse_event.is_none_or(|f| !f.cue.is_empty()));
            }
        }
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
        assert_eq!(s.lexicon_version, 5);
    }
}
