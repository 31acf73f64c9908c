//! The reliability score: 100 minus the weight of each finding code, plus positive evidence, clamped to 0–100.
//!
//! Weights are chosen so that one strong sign of a dummy call (copied notes, an impossible trip, a holiday or
//! night visit) takes a visit below the default audit threshold of 50 on its own, while weak signs that genuine
//! work also shows (a missed tap, an evening entry, a round duration) only count together. ADR 0010 gives the
//! reasons; [`RuleSettings::weights`](super::RuleSettings) overrides them.

use serde::Serialize;

use super::{Code, Context, Finding, RuleSettings, Severity};

/// Default points a finding code takes off the score.
pub fn weight(code: Code) -> i32 {
    match code {
        Code::DuplicateNotes | Code::TravelInfeasible | Code::DurationRun | Code::HcpFrequency => 55,
        Code::EntryBurst => 45,
        Code::HolidayVisit | Code::NightVisit | Code::TapShortfall => 40,
        Code::LateEntry => 25,
        Code::NightEntry => 20,
        Code::OffHours | Code::MaterialWithoutEvidence => 15,
        Code::TooManyVisits | Code::RoundDurationPattern => 10,
        _ if code.severity() == Severity::Error => 40,
        _ => 10,
    }
}

/// Default points a verified NFC tap of a shown material during the visit adds.
pub const VERIFIED_TAP_BONUS: i32 = 10;

/// A reason behind the score, negative or positive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Reason {
    /// A finding code, or `verified_tap` for positive evidence.
    pub code: String,
    /// Points added (positive) or taken off (negative).
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
    let total: i32 = 100 + reasons.iter().map(|r| r.points).sum::<i32>();
    (total.clamp(0, 100) as u8, reasons)
}
