//! The reliability score: 100 minus the weight of each finding, plus positive evidence, clamped to 0–100.

use serde::Serialize;

use super::{Code, Context, Finding, Severity};

/// Points a finding takes off the score.
pub fn weight(code: Code) -> i32 {
    match code {
        Code::DuplicateNotes => 35,
        Code::TravelInfeasible => 30,
        Code::OffHours => 15,
        Code::MaterialWithoutEvidence => 15,
        Code::TooManyVisits => 10,
        Code::RoundDurationPattern => 10,
        _ if code.severity() == Severity::Error => 40,
        _ => 10,
    }
}

/// Points a verified NFC tap of a shown material during the visit adds.
pub const VERIFIED_TAP_BONUS: i32 = 10;

/// A reason behind the score, negative or positive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// A finding code, or `verified_tap` for positive evidence.
    pub code: String,
    /// Points added (positive) or taken off (negative).
    pub points: i32,
}

/// Scores a visit from its findings and the evidence in its context.
pub fn score(findings: &[Finding], ctx: &Context) -> (u8, Vec<Reason>) {
    let mut reasons: Vec<Reason> = Vec::new();
    for f in findings {
        if !reasons.iter().any(|r| r.code == f.code.as_str()) {
            reasons.push(Reason {
                code: f.code.as_str().to_owned(),
                points: -weight(f.code),
            });
        }
    }
    if ctx.evidence.iter().any(|e| e.verified) {
        reasons.push(Reason {
            code: "verified_tap".into(),
            points: VERIFIED_TAP_BONUS,
        });
    }
    let total: i32 = 100 + reasons.iter().map(|r| r.points).sum::<i32>();
    (total.clamp(0, 100) as u8, reasons)
}
