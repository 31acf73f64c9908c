//! The checks, one file per family. Each reads the form and the context and appends findings.

mod durations;
mod entry;
mod frequency;
mod insights;
mod lifecycle;
mod materials;
mod notes;
mod references;
mod required;
mod schedule;
mod timing;
mod travel;

use super::{Context, Finding};
use crate::visit::VisitFields;

/// What is being validated: the form, and the amendment reason if the rep gave one.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub fields: &'a VisitFields,
    pub amendment_reason: Option<&'a str>,
}

/// Runs every check. Findings come out errors first, then by field and code.
pub fn run(subject: Subject<'_>, ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    required::check(subject.fields, &mut out);
    references::check(subject.fields, ctx, &mut out);
    timing::check(subject.fields, ctx, &mut out);
    schedule::check(subject.fields, ctx, &mut out);
    travel::check(subject.fields, ctx, &mut out);
    durations::check(subject.fields, ctx, &mut out);
    materials::check(subject.fields, ctx, &mut out);
    notes::check(subject.fields, ctx, &mut out);
    entry::check(subject.fields, ctx, &mut out);
    frequency::check(subject.fields, ctx, &mut out);
    insights::check(subject.fields, ctx, &mut out);
    lifecycle::check(subject, ctx, &mut out);
    out.sort_by(|a, b| (a.severity, &a.field, a.code).cmp(&(b.severity, &b.field, b.code)));
    out
}
