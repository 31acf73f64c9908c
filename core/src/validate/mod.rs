//! Visit validation: typed findings with ja/en messages, and a reliability score with its reasons.
//!
//! [`validate`] is a pure function of the form and a [`Context`]; [`crate::Store::validate`] loads the context
//! from the store (master data, the rep's other visits, tap events, settings) in one read snapshot.

mod checks;
pub mod context;
mod finding;
mod history;
mod labels;
mod messages;
mod rhythm;
mod rules;
mod score;
pub mod similarity;

use chrono::{DateTime, Utc};
use serde::Serialize;

pub use checks::Subject;
pub use context::Context;
pub use finding::{past, Code, Detail, Finding, Severity, UNGRADED};
pub use rules::RuleSettings;
pub use score::{evidence, probability_genuine, score_found, weight, Reason, VERIFIED_TAP_BONUS};

use crate::{
    ids::VisitId,
    store::{Store, StoreError},
    visit::VisitFields,
};

/// The settings key of the rule settings document.
pub const RULES_KEY: &str = "validation.rules";

/// The validator's answer for one visit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Report {
    /// No error: the visit may be submitted.
    pub ok: bool,
    /// Reliability 0–100 (lower = less reliable).
    pub score: u8,
    pub findings: Vec<Finding>,
    /// What moved the score, negative and positive.
    pub reasons: Vec<Reason>,
}

/// Validates `subject` against `ctx`.
pub fn validate(subject: Subject<'_>, ctx: &Context) -> Report {
    let findings = checks::run(subject, ctx);
    let (score, reasons) = score::score(&findings, ctx);
    Report {
        ok: findings.iter().all(|f| f.severity != Severity::Error),
        score,
        findings,
        reasons,
    }
}

impl Store {
    /// The rule settings in force (the defaults until the server sends others).
    pub fn rules(&self) -> Result<RuleSettings, StoreError> {
        self.read(load_rules)
    }

    /// Replaces the rule settings.
    pub fn set_rules(&self, rules: &RuleSettings) -> Result<(), StoreError> {
        let json = serde_json::to_string(rules).map_err(|e| StoreError::Inconsistent(e.to_string()))?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (RULES_KEY, json),
            )?;
            Ok(())
        })
    }

    /// Validates a form (the stored visit `id`, if it is one) as of the device time `now`.
    pub fn validate(
        &self,
        id: Option<VisitId>,
        fields: &VisitFields,
        amendment_reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Report, StoreError> {
        self.read(|conn| {
            let mut ctx = Context::load(conn, id, fields, load_rules(conn)?, now)?;
            // A form not stored yet is the one being entered: entered after every stored visit, whatever their
            // entry stamps say against `now`.
            ctx.being_entered = ctx.existing.is_none();
            Ok(validate(
                Subject {
                    fields,
                    amendment_reason,
                },
                &ctx,
            ))
        })
    }
}

/// Reads the rule settings from `conn` (a store's connection, `Store::read`), falling back to the defaults.
pub fn load_rules(conn: &rusqlite::Connection) -> Result<RuleSettings, StoreError> {
    use rusqlite::OptionalExtension;
    let stored: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([RULES_KEY], |r| r.get(0))
        .optional()?;
    match stored {
        Some(json) => {
            RuleSettings::from_json(&json).map_err(|e| StoreError::Inconsistent(format!("stored rules: {e}")))
        }
        None => Ok(RuleSettings::default()),
    }
}
