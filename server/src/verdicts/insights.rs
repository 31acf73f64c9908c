//! The insight rows of a rep's stored visits (ADR 0026), written with the rep's verdicts: each visit's needs,
//! stages (with their rank on the ladder in force), questions, safety mentions and shown materials, dated on the
//! local day of the rep's zone.

use std::collections::BTreeMap;

use mrc_core::{
    local_time,
    master::{InsightCatalog, MasterData},
    validate::RuleSettings,
    visit::DocState,
    VisitId,
};

use crate::store::insights::{FactKind, InsightFact};

/// Every insight row of `docs`, the stored visits of `rep`.
pub(crate) fn facts(
    rep: &str,
    docs: &[(VisitId, DocState)],
    master: &MasterData,
    rules: &RuleSettings,
) -> Vec<InsightFact> {
    let catalog = InsightCatalog::of_master(master);
    let zone = (master.reps.iter())
        .find(|r| r.id == rep)
        .and_then(|r| r.time_zone.as_deref())
        .and_then(local_time::parse_zone)
        .unwrap_or_else(|| rules.zone());
    let mut out = Vec::new();
    for (id, state) in docs {
        let f = &state.fields;
        let row = |kind: FactKind, product_id: Option<&String>, code: &str| InsightFact {
            doc_id: *id.as_bytes(),
            rep_id: rep.to_owned(),
            hcp_id: f.hcp_id.clone(),
            started_at_ms: f.started_at.map(|t| t.timestamp_millis()),
            day: f.started_at.map(|t| local_time::local_day(&t, zone).to_string()),
            kind,
            product_id: product_id.cloned(),
            code: code.to_owned(),
            rank: None,
            item_id: None,
            topic: None,
            text: None,
            flag: false,
            previous: None,
            next_started_at_ms: None,
        };
        let i = &f.insights;
        for need in &i.needs {
            out.push(row(FactKind::Need, need.product_id.as_ref(), &need.topic));
        }
        for stage in &i.stages {
            out.push(InsightFact {
                rank: catalog.stage(&stage.stage).map(|s| s.rank),
                ..row(FactKind::Stage, Some(&stage.product_id), &stage.stage)
            });
        }
        for q in &i.questions {
            out.push(InsightFact {
                item_id: Some(q.id.clone()),
                topic: q.topic.clone(),
                text: Some(q.text.clone()),
                flag: q.off_label,
                ..row(FactKind::Question, q.product_id.as_ref(), q.status.as_str())
            });
        }
        for s in &i.safety {
            out.push(InsightFact {
                item_id: Some(s.id.clone()),
                text: Some(s.text.clone()),
                flag: !s.forwarded,
                ..row(FactKind::Safety, s.product_id.as_ref(), "")
            });
        }
        for m in &f.materials_shown {
            out.push(InsightFact {
                rank: Some(m.version),
                ..row(FactKind::Shown, None, &m.material_id)
            });
        }
    }
    link_stages(&mut out);
    out
}

/// Links each stage row to the previous and next stage of the same doctor and product (by start, then visit).
fn link_stages(facts: &mut [InsightFact]) {
    let mut ladders: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, f) in facts.iter().enumerate() {
        if let (FactKind::Stage, Some(hcp), Some(product), Some(_)) =
            (f.kind, &f.hcp_id, &f.product_id, f.started_at_ms)
        {
            ladders.entry((hcp.clone(), product.clone())).or_default().push(i);
        }
    }
    for rows in ladders.values_mut() {
        rows.sort_by_key(|&i| (facts[i].started_at_ms, facts[i].doc_id));
        for pair in rows.windows(2) {
            let (before, after) = (pair[0], pair[1]);
            facts[before].next_started_at_ms = facts[after].started_at_ms;
            facts[after].previous = Some((
                facts[before].code.clone(),
                facts[before].rank,
                facts[before].doc_id,
            ));
        }
    }
}
