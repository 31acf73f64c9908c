//! The reliability score: the estimated odds that a visit is genuine, on a scale of decibans, from the evidence of
//! its findings (ADR 0010).
//!
//! Each finding code carries evidence in decibans (10·log10 of a likelihood ratio): how much more often it fires on
//! a fabricated visit than on a genuine one. The ratios were estimated on labeled months of our own generator
//! (`tools/evidence/fit.py`, tuning data; never on the blind months the README reports). A finding counts more the
//! more clearly it passes its rule ([`Finding::strength`]); a verified tap is evidence the other way. Evidence from
//! different codes adds; the sum, less a calibration intercept fitted on the same months, is the log-odds of
//! "fabricated", and the score is 50 less that, one point per deciban:
//!
//! `score = 50 − (evidence − CALIBRATION_DB)`, within 0–100
//!
//! So 50 is even odds, and every 10 points is ten times the odds: 60 means ten to one that the visit is genuine, 40
//! ten to one that it is not. The estimated probability of "genuine" is `1 / (1 + 10^((50 − score) / 10))`. A
//! scale of odds, not of probability, keeps the score graded where it matters to head office: visits that are
//! almost certainly fabricated keep their order (a probability would round them all to 0).
//!
//! A visit with no sign at all scores 69 (92 with a verified tap), one weak sign (a shown material without a tap,
//! 10 dB at its usual strength) 59, one habit 51–60 up to its rule's clear point, a hard rule (a holiday visit,
//! 20 dB) 49 or below, and signs that each count little take a visit below 50 together. Past its clear point a
//! finding keeps gaining [`DB_PER_DOUBLING`] each time its distance past the threshold doubles: a habit twice as
//! far past as the clear point flags a visit alone, and visits far past keep distinct scores instead of piling up
//! on one value.
//! [`RuleSettings::weights`](super::RuleSettings) overrides a code's evidence.

use serde::Serialize;

use super::{Code, Context, Finding, RuleSettings, Severity};

#[cfg(test)]
use super::finding::UNGRADED;

/// Evidence (decibans) that a finding code gives for "fabricated".
///
/// Estimated on the tuning months (`tools/evidence/fit.py`, add-one smoothing), then bounded where those months
/// cannot estimate a rate: habits genuine reps also have (evening visits, late or batched entry, a doctor seen
/// often, stock phrases, round durations, missed taps) never occur in their genuine visits, so the estimate is
/// capped at [`HABIT_CAP_DB`] — one habit alone does not flag a visit unless it lies far past its rule (see
/// [`evidence`]), two do. Hard rules (an impossible trip, a visit
/// at night or on a holiday, a record backdated past the limit) are at least 20: alone they flag. Codes never seen
/// in the tuning months: 20 for an error (the form would have refused the visit), 5 for a warning.
pub fn weight(code: Code) -> i32 {
    match code {
        Code::BackdateLimit => 24,
        Code::NightVisit => 22,
        Code::HolidayVisit | Code::TravelInfeasible => 20,
        Code::OffHours | Code::DurationRun | Code::DuplicateNotes | Code::HcpFrequency => HABIT_CAP_DB,
        Code::NightEntry | Code::TapShortfall => 13,
        Code::EntryBurst => 11,
        Code::LateEntry | Code::MaterialWithoutEvidence | Code::FutureStart => 10,
        Code::Overlap => 7,
        Code::TooManyVisits => 3,
        Code::RoundDurationPattern => 1,
        // How the doctor's needs are coded says nothing about whether the visit took place.
        Code::UnknownInsightCode | Code::InsightProductNotDiscussed | Code::OffLabelAnswered => 0,
        _ if code.severity() == Severity::Error => 20,
        _ => 5,
    }
}

/// The most evidence one habit gives up to its rule's clear point: below [`CALIBRATION_DB`], so it takes two signs,
/// or one far past its rule, to flag a visit.
pub const HABIT_CAP_DB: i32 = 15;

/// Evidence (decibans) a verified NFC tap of the visit gives for "genuine".
pub const VERIFIED_TAP_BONUS: i32 = 23;

/// The evidence at which a visit is as likely fabricated as genuine (score 50): the calibration intercept fitted on
/// the tuning months (logistic fit of the labels on the summed evidence; its slope came out at the decibans' own).
/// A visit without any sign therefore scores 50 + 19 = 69.
pub const CALIBRATION_DB: i32 = 19;

/// A reason behind the score, negative or positive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Reason {
    /// A finding code, or `verified_tap` for positive evidence.
    pub code: String,
    /// Its evidence in decibans: negative towards "fabricated" (−10: ten times likelier on a fabricated visit),
    /// positive towards "genuine".
    pub points: i32,
}

/// Scores a visit from its findings and the evidence in its context.
pub fn score(findings: &[Finding], ctx: &Context) -> (u8, Vec<Reason>) {
    let found: Vec<(Code, f64)> = findings.iter().map(|f| (f.code, f.strength)).collect();
    score_found(&found, ctx.evidence.iter().any(|e| e.verified), &ctx.rules)
}

/// The evidence (decibans) a finding of `code` at `strength` gives: from 60 % of the code's weight just past the
/// rule's threshold, through the weight itself at the usual strength (0.5), rising linearly towards 140 % of it
/// (a habit, weight at most [`HABIT_CAP_DB`], towards just below [`CALIBRATION_DB`]) up to the clear point
/// (strength 0.9). Beyond it, [`DB_PER_DOUBLING`] more each time the distance past the threshold doubles, up to six
/// times the clear distance (a strength that rounds to 1).
pub fn evidence(code: Code, strength: f64, rules: &RuleSettings) -> f64 {
    let weight = f64::from(rules.weight(code));
    let s = strength.clamp(0.0, 1.0);
    let low = 0.6 * weight;
    let high = if weight <= f64::from(HABIT_CAP_DB) {
        (f64::from(CALIBRATION_DB) - 0.5).max(low)
    } else {
        1.4 * weight
    };
    let graded = |s: f64| {
        if s <= 0.5 {
            low + (weight - low) * s * 2.0
        } else {
            weight + (high - weight) * (s - 0.5) * 2.0
        }
    };
    if s <= CLEAR {
        graded(s)
    } else {
        // Past the clear point, [`past`](super::past)'s distance in spans: each doubling adds the same evidence.
        let spans = -(1.0 - s).max(1e-6).log10();
        graded(CLEAR) + DB_PER_DOUBLING * spans.log2()
    }
}

/// The strength at a rule's clear point (see [`past`](super::past)).
const CLEAR: f64 = 0.9;

/// Evidence (decibans) a finding gains each time its distance past the rule's threshold doubles beyond the clear
/// point: a doctor seen three times their cadence's limit is stronger evidence than one seen just over it. Chosen
/// on the tuning months among 0, 2, 3, 5, 8 and 12 (ADR 0010): the best recall at ≤ 1 % and ≤ 2 % false alarms
/// while no score holds more than 10 % of the fabricated visits (8.1 % at 5; 11.6 % at 12).
pub const DB_PER_DOUBLING: f64 = 5.0;

/// Scores a set of findings given as codes with their strengths (each distinct code counts once, at its greatest
/// strength, in the order first given), with or without a verified tap. The audit uses it for the findings a
/// visit has once hindsight is added.
pub fn score_found(found: &[(Code, f64)], verified_tap: bool, rules: &RuleSettings) -> (u8, Vec<Reason>) {
    let mut strongest: Vec<(Code, f64)> = Vec::new();
    for (code, strength) in found {
        match strongest.iter_mut().find(|(c, _)| c == code) {
            Some((_, s)) => *s = s.max(*strength),
            None => strongest.push((*code, *strength)),
        }
    }
    let each: Vec<(Code, f64)> = (strongest.iter())
        .map(|(code, strength)| (*code, evidence(*code, *strength, rules)))
        .collect();
    let mut total: f64 = each.iter().map(|(_, e)| e).sum();
    // Each reason shows its evidence in whole decibans; the score uses the exact sum.
    let mut reasons: Vec<Reason> = (each.iter())
        .map(|(code, e)| Reason {
            code: code.as_str().to_owned(),
            points: -(e.round() as i32),
        })
        .collect();
    if verified_tap {
        total -= f64::from(rules.verified_tap_bonus);
        reasons.push(Reason {
            code: "verified_tap".into(),
            points: rules.verified_tap_bonus,
        });
    }
    (odds_score(total), reasons)
}

/// The score for `evidence` decibans towards "fabricated": the log-odds of "genuine" in decibans, plus 50, rounded
/// and held within 0–100.
fn odds_score(evidence: f64) -> u8 {
    let score = (50.0 - (evidence - f64::from(CALIBRATION_DB))).round();
    // Held within 0..=100 (a NaN becomes 0): the cast cannot truncate.
    if score.is_nan() {
        return 0;
    }
    score.clamp(0.0, 100.0) as u8
}

/// The estimated probability that a visit scoring `score` is genuine.
pub fn probability_genuine(score: u8) -> f64 {
    1.0 / (1.0 + 10f64.powf((50.0 - f64::from(score)) / 10.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score_of(codes: &[Code], tapped: bool) -> u8 {
        let found: Vec<(Code, f64)> = codes.iter().map(|c| (*c, UNGRADED)).collect();
        score_found(&found, tapped, &RuleSettings::default()).0
    }

    #[test]
    fn evidence_adds_up_one_habit_marks_two_flag_a_hard_rule_flags_alone() {
        assert_eq!(score_of(&[], false), 69);
        assert_eq!(score_of(&[], true), 92);
        assert_eq!(score_of(&[Code::OffHours], false), 54);
        assert!(score_of(&[Code::OffHours, Code::LateEntry], false) < 50);
        assert!(score_of(&[Code::HolidayVisit], false) < 50);
        assert!(score_of(&[Code::TravelInfeasible], false) < 50);
        // A verified tap (the doctor's own phone) outweighs a habit, even a hard rule plus a habit; not three signs.
        assert!(score_of(&[Code::OffHours], true) > 75);
        assert!(score_of(&[Code::HolidayVisit, Code::OffHours], true) > 50);
        assert!(score_of(&[Code::HolidayVisit, Code::OffHours, Code::DuplicateNotes], true) < 50);
    }

    #[test]
    fn a_habit_flags_alone_only_far_past_its_clear_point_and_reasons_carry_decibans() {
        let rules = RuleSettings::default();
        for code in Code::ALL {
            if weight(*code) <= HABIT_CAP_DB {
                let alone = score_of(&[*code], false);
                assert!(alone >= 50, "{code:?} alone scores {alone}");
                let clear = score_found(&[(*code, CLEAR)], false, &rules).0;
                assert!(
                    (50..=alone).contains(&clear),
                    "{code:?} at its clear point: {clear}"
                );
                // Twice as far past the threshold as the clear point: 5 dB more, and the habit flags alone.
                let twice = score_found(&[(*code, 0.99)], false, &rules).0;
                assert!(twice < 50 && twice < clear, "{code:?} twice past: {twice}");
            }
        }
        let (_, reasons) = score_found(&[(Code::EntryBurst, UNGRADED)], true, &rules);
        assert_eq!(reasons[0].points, -11);
        assert_eq!(reasons[1].points, VERIFIED_TAP_BONUS);
    }

    #[test]
    fn the_score_falls_strictly_as_evidence_grows() {
        let scores: Vec<u8> = (-40..=80).map(|e| odds_score(f64::from(e))).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
        assert_eq!(odds_score(f64::from(CALIBRATION_DB)), 50);
        let distinct: std::collections::BTreeSet<u8> = scores.iter().copied().collect();
        assert_eq!(distinct.len(), 101, "one score per deciban: {distinct:?}");
        assert_eq!(odds_score(f64::NAN), 0);
        // 60 is ten to one for "genuine", 40 ten to one against.
        assert!((probability_genuine(60) - 10.0 / 11.0).abs() < 1e-9);
        assert!((probability_genuine(40) - 1.0 / 11.0).abs() < 1e-9);
        assert_eq!(probability_genuine(50), 0.5);
    }

    #[test]
    fn a_clearer_finding_gives_more_evidence_and_a_lower_score() {
        let rules = RuleSettings::default();
        let at = |s: f64| {
            score_found(
                &[(Code::DuplicateNotes, s), (Code::LateEntry, 0.5)],
                false,
                &rules,
            )
        };
        let (faint, clear) = (at(0.0), at(0.999));
        assert!(faint.0 > at(0.5).0 && at(0.5).0 > clear.0, "{faint:?} {clear:?}");
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(close(evidence(Code::DuplicateNotes, 0.0, &rules), 9.0));
        assert!(close(evidence(Code::DuplicateNotes, 0.5, &rules), 15.0));
        assert!(close(evidence(Code::DuplicateNotes, CLEAR, &rules), 17.8));
        assert!(close(
            evidence(Code::DuplicateNotes, 0.99, &rules),
            17.8 + DB_PER_DOUBLING
        ));
        assert!(close(evidence(Code::HolidayVisit, CLEAR, &rules), 26.4));
        // Strictly rising all the way, and bounded where the strength rounds to 1.
        let grid: Vec<f64> = (0..=60)
            .map(|k| 1.0 - 10f64.powf(-f64::from(k) / 10.0))
            .map(|s| evidence(Code::DurationRun, s, &rules))
            .collect();
        assert!(grid.windows(2).all(|w| w[0] < w[1]), "{grid:?}");
        assert!(evidence(Code::DurationRun, 1.0, &rules).is_finite());
        // One code twice counts once, at its greatest strength.
        let twice = score_found(&[(Code::LateEntry, 0.0), (Code::LateEntry, 1.0)], false, &rules);
        assert_eq!(twice.1.len(), 1);
        assert_eq!(
            twice.1[0].points,
            -(evidence(Code::LateEntry, 1.0, &rules).round() as i32)
        );
    }
}
