//! The reliability score: 100 × the estimated probability that a visit is genuine, from the evidence of its
//! findings (ADR 0010).
//!
//! Each finding code carries evidence in decibans (10·log10 of a likelihood ratio): how much more often it fires on
//! a fabricated visit than on a genuine one. The ratios were estimated on labeled months of our own generator
//! (`tools/evidence/fit.py`, tuning data; never on the blind months the README reports). A verified tap is
//! evidence the other way. Evidence from different codes adds; the sum, less a calibration intercept fitted on the
//! same months, is the log-odds of "fabricated":
//!
//! `score = 100 / (1 + 10^((evidence − CALIBRATION_DB) / 10))`
//!
//! So a visit with no sign at all scores 99 (100 with a verified tap), one weak sign (a shown material without a
//! tap, 10 dB) 89, one habit at its cap (15 dB) 72, a hard rule (a holiday visit, 20 dB) 44, and signs that each
//! count little take a visit below 50 together.
//! [`RuleSettings::weights`](super::RuleSettings) overrides a code's evidence.

use serde::Serialize;

use super::{Code, Context, Finding, RuleSettings, Severity};

/// Evidence (decibans) that a finding code gives for "fabricated".
///
/// Estimated on the tuning months (`tools/evidence/fit.py`, add-one smoothing), then bounded where those months
/// cannot estimate a rate: habits genuine reps also have (evening visits, late or batched entry, a doctor seen
/// often, stock phrases, round durations, missed taps) never occur in their genuine visits, so the estimate is
/// capped at [`HABIT_CAP_DB`] — one habit alone never flags a visit, two do. Hard rules (an impossible trip, a visit
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
        _ if code.severity() == Severity::Error => 20,
        _ => 5,
    }
}

/// The most evidence one habit gives: below [`CALIBRATION_DB`], so it takes two signs to flag a visit.
pub const HABIT_CAP_DB: i32 = 15;

/// Evidence (decibans) a verified NFC tap of the visit gives for "genuine".
pub const VERIFIED_TAP_BONUS: i32 = 23;

/// The evidence at which a visit is as likely fabricated as genuine (score 50): the calibration intercept fitted on
/// the tuning months (logistic fit of the labels on the summed evidence; its slope came out at the decibans' own).
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
    let codes: Vec<Code> = findings.iter().map(|f| f.code).collect();
    score_codes(&codes, ctx.evidence.iter().any(|e| e.verified), &ctx.rules)
}

/// Scores a set of finding codes (each distinct code counts once, in the order given), with or without a
/// verified tap. The audit uses it for the codes a visit has once hindsight is added.
pub fn score_codes(codes: &[Code], verified_tap: bool, rules: &RuleSettings) -> (u8, Vec<Reason>) {
    let mut reasons: Vec<Reason> = Vec::new();
    for code in codes {
        if !reasons.iter().any(|r| r.code == code.as_str()) {
            reasons.push(Reason {
                code: code.as_str().to_owned(),
                points: -rules.weight(*code),
            });
        }
    }
    if verified_tap {
        reasons.push(Reason {
            code: "verified_tap".into(),
            points: rules.verified_tap_bonus,
        });
    }
    let evidence: i32 = -reasons.iter().map(|r| r.points).sum::<i32>();
    (probability_genuine(evidence), reasons)
}

/// 100 × the probability of "genuine" for `evidence` decibans towards "fabricated", rounded.
fn probability_genuine(evidence: i32) -> u8 {
    let odds_fabricated = 10f64.powf(f64::from(evidence - CALIBRATION_DB) / 10.0);
    let score = (100.0 / (1.0 + odds_fabricated)).round();
    // In 0..=100 by construction; the cast cannot truncate.
    score.clamp(0.0, 100.0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score_of(codes: &[Code], tapped: bool) -> u8 {
        score_codes(codes, tapped, &RuleSettings::default()).0
    }

    #[test]
    fn evidence_adds_up_one_habit_marks_two_flag_a_hard_rule_flags_alone() {
        assert_eq!(score_of(&[], false), 99);
        assert_eq!(score_of(&[], true), 100);
        assert_eq!(score_of(&[Code::OffHours], false), 72);
        assert!(score_of(&[Code::OffHours, Code::LateEntry], false) < 50);
        assert!(score_of(&[Code::HolidayVisit], false) < 50);
        assert!(score_of(&[Code::TravelInfeasible], false) < 50);
        // A verified tap (the doctor's own phone) outweighs a habit, even a hard rule plus a habit; not three signs.
        assert!(score_of(&[Code::OffHours], true) > 95);
        assert!(score_of(&[Code::HolidayVisit, Code::OffHours], true) > 50);
        assert!(score_of(&[Code::HolidayVisit, Code::OffHours, Code::DuplicateNotes], true) < 50);
    }

    #[test]
    fn every_habit_stays_below_the_flag_alone_and_reasons_carry_decibans() {
        for code in Code::ALL {
            let alone = score_of(&[*code], false);
            if weight(*code) <= HABIT_CAP_DB {
                assert!(alone >= 50, "{code:?} alone scores {alone}");
            }
        }
        let (_, reasons) = score_codes(&[Code::EntryBurst], true, &RuleSettings::default());
        assert_eq!(reasons[0].points, -11);
        assert_eq!(reasons[1].points, VERIFIED_TAP_BONUS);
    }

    #[test]
    fn the_score_falls_strictly_as_evidence_grows() {
        let scores: Vec<u8> = (0..=40).map(probability_genuine).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
        assert_eq!(probability_genuine(CALIBRATION_DB), 50);
        let distinct: std::collections::BTreeSet<u8> = scores.iter().copied().collect();
        assert!(distinct.len() > 25, "graded: {distinct:?}");
    }
}
