//! `duplicate_notes`: notes near-identical to another of the rep's visits (MinHash over character 3-grams).

use crate::{
    validate::{similarity, Code, Context, Detail, Finding},
    visit::VisitFields,
};

pub fn check(f: &VisitFields, ctx: &Context, out: &mut Vec<Finding>) {
    let normalized = similarity::normalize(&f.notes);
    if (normalized.len() as u32) < ctx.rules.duplicate_notes_min_chars {
        return;
    }
    let sig = similarity::signature(&similarity::shingles(&normalized));
    let best = ctx
        .recent_notes
        .iter()
        .map(|(id, other)| (similarity::estimate(&sig, other), id))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((estimate, id)) = best {
        let percent = (estimate * 100.0).round() as i64;
        if percent >= i64::from(ctx.rules.duplicate_notes_percent) {
            out.push(Finding::new(
                Code::DuplicateNotes,
                "/notes",
                &Detail::Similar {
                    percent,
                    other: id.to_string(),
                },
            ));
        }
    }
}
