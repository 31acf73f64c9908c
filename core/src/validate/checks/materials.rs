//! `material_not_approved` and `material_without_evidence`: the materials shown.

use crate::{
    validate::{Code, Context, Detail, Finding},
    visit::{Channel, VisitFields},
};

pub fn check(f: &VisitFields, ctx: &Context, out: &mut Vec<Finding>) {
    let day = f.started_at.map(|t| t.date_naive());
    for (i, m) in f.materials_shown.iter().enumerate() {
        let versions: Vec<_> = ctx
            .materials
            .iter()
            .filter(|row| row.id == m.material_id)
            .collect();
        if versions.is_empty() {
            continue; // reported as unknown_reference
        }
        let why = match versions.iter().find(|row| row.version == m.version) {
            None => Some(("カタログにない版", "this version is not in the catalog")),
            Some(row) if !row.approved => Some(("使用中止", "withdrawn")),
            Some(row) if day.is_some_and(|d| d < row.valid_from || d > row.valid_until) => {
                Some(("訪問日に有効期間外", "not valid on the visit's date"))
            }
            Some(_) => None,
        };
        let detail = |why_ja, why_en| Detail::Material {
            id: m.material_id.clone(),
            version: m.version,
            why_ja,
            why_en,
        };
        if let Some((why_ja, why_en)) = why {
            out.push(Finding::new(
                Code::MaterialNotApproved,
                format!("/materials_shown/{i}/version"),
                &detail(why_ja, why_en),
            ));
        }
        let shown_in_person = f.channel == Some(Channel::InPerson) && f.started_at.is_some();
        if shown_in_person && !ctx.evidence.iter().any(|e| e.material_id == m.material_id) {
            out.push(Finding::new(
                Code::MaterialWithoutEvidence,
                format!("/materials_shown/{i}/material_id"),
                &detail("", ""),
            ));
        }
    }
}
