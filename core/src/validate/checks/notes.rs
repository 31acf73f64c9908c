//! `duplicate_notes`: notes near-identical to another of the rep's visits (MinHash over character 3-grams,
//! confirmed with the exact Jaccard similarity of the closest earlier notes).
//!
//! A follow-up note may start from the previous note for the same HCP: when it keeps (almost all of) that note
//! and adds at least `follow_up_min_new_chars` new characters, it is not a copy. A copy lightly edited — 。→．, a
//! number changed, sentences swapped — adds next to nothing and stays a copy.

use std::collections::HashSet;

use crate::{
    validate::{context::NoteSource, past, similarity, Code, Context, Detail, Finding},
    visit::VisitFields,
};

/// Share of the earlier note a follow-up keeps.
const FOLLOW_UP_KEEPS: f64 = 0.9;

pub fn check(f: &VisitFields, ctx: &Context, out: &mut Vec<Finding>) {
    let normalized = similarity::normalize(&f.notes);
    if (normalized.len() as u32) < ctx.rules.duplicate_notes_min_chars {
        return;
    }
    let shingles = similarity::shingles(&normalized);
    let threshold = f64::from(ctx.rules.duplicate_notes_percent) / 100.0;
    let mut best: Option<(f64, String)> = None;
    let mut consider = |similar: f64, id: String| {
        if similar >= threshold && best.as_ref().is_none_or(|(b, _)| similar > *b) {
            best = Some((similar, id));
        }
    };
    let exact: HashSet<_> = ctx.note_sources.iter().map(|s| s.id).collect();
    for source in &ctx.note_sources {
        if !follow_up(f, &shingles, source, ctx) {
            let other = similarity::shingles(&similarity::normalize(&source.notes));
            consider(similarity::jaccard(&shingles, &other), source.id.to_string());
        }
    }
    // Signatures without a loaded text (a context built by hand) are judged on the estimate alone.
    let sig = similarity::signature(&shingles);
    for (id, other) in ctx.recent_notes.iter().filter(|(id, _)| !exact.contains(id)) {
        if ctx.note_sources.is_empty() {
            consider(similarity::estimate(&sig, other), id.to_string());
        }
    }
    if let Some((similar, other)) = best {
        let percent = (similar * 100.0).round() as i64;
        let finding = Finding::new(
            Code::DuplicateNotes,
            "/notes",
            &Detail::Similar { percent, other },
        );
        out.push(finding.with_strength(past(similar, threshold, 1.0)));
    }
}

/// Whether the notes continue `source` (same HCP, keep it, add enough of their own).
fn follow_up(f: &VisitFields, shingles: &HashSet<u64>, source: &NoteSource, ctx: &Context) -> bool {
    let same_hcp = f.hcp_id.is_some() && f.hcp_id == source.hcp_id;
    if !same_hcp {
        return false;
    }
    let earlier = similarity::shingles(&similarity::normalize(&source.notes));
    if earlier.is_empty() {
        return false;
    }
    let kept = earlier.intersection(shingles).count();
    let added = shingles.len().saturating_sub(kept);
    kept as f64 / earlier.len() as f64 >= FOLLOW_UP_KEEPS && added as u32 >= ctx.rules.follow_up_min_new_chars
}
