//! `unknown_reference`, `hcp_not_at_institution`, `product_not_in_portfolio`: ids against master data.

use crate::{
    validate::{Code, Context, Detail, Finding},
    visit::VisitFields,
};

fn unknown(field: String, ja: &'static str, en: &'static str, id: &str) -> Finding {
    Finding::new(
        Code::UnknownReference,
        field,
        &Detail::Reference {
            ja,
            en,
            id: id.to_owned(),
        },
    )
}

pub fn check(f: &VisitFields, ctx: &Context, out: &mut Vec<Finding>) {
    let given = |v: &Option<String>| v.as_deref().filter(|s| !s.trim().is_empty()).map(str::to_owned);
    if let Some(rep) = given(&f.rep_id) {
        if !ctx.rep_known {
            out.push(unknown("/rep_id".into(), "担当者", "rep", &rep));
        }
    }
    let hcp = given(&f.hcp_id);
    if let Some(hcp) = &hcp {
        if ctx.hcp_institution.is_none() {
            out.push(unknown("/hcp_id".into(), "医師", "HCP", hcp));
        }
    }
    if let Some(inst) = given(&f.institution_id) {
        if !ctx.institution_known {
            out.push(unknown("/institution_id".into(), "施設", "institution", &inst));
        } else if let Some(home) = &ctx.hcp_institution {
            if *home != inst {
                out.push(Finding::new(Code::HcpNotAtInstitution, "/hcp_id", &Detail::None));
            }
        }
    }
    for (i, p) in f.products.iter().enumerate() {
        let field = format!("/products/{i}/product_id");
        if !ctx.products_known.contains(&p.product_id) {
            out.push(unknown(field, "製品", "product", &p.product_id));
        } else if ctx.rep_known && !ctx.portfolio.contains(&p.product_id) {
            let detail = Detail::Reference {
                ja: "製品",
                en: "product",
                id: p.product_id.clone(),
            };
            out.push(Finding::new(Code::ProductNotInPortfolio, field, &detail));
        }
    }
    for (i, m) in f.materials_shown.iter().enumerate() {
        if !ctx.materials.iter().any(|row| row.id == m.material_id) {
            out.push(unknown(
                format!("/materials_shown/{i}/material_id"),
                "資材",
                "material",
                &m.material_id,
            ));
        }
    }
}
