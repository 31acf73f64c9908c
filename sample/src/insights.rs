//! Insights as an MR who accepts the core's proposals would record them: the topics the notes touch as needs of the
//! visit's first product, a stage that climbs the ladder every few visits to the same doctor, the off-label flag as
//! a question routed to Medical, and the adverse-event flag as a safety mention. For the demo and the benchmarks of
//! the pre-visit screen; labeled as our own generator's data wherever a figure comes from it.

use mrc_core::{
    insights::{suggest, Lexicon},
    master::InsightCatalog,
    visit::{
        DoctorQuestion, InformationNeed, ProductStage, QuestionStatus, SafetyMention, VisitFields,
        VisitInsights,
    },
};

/// The insights of `fields`, the `nth` visit (0-based) of its rep to its doctor.
pub fn accepted_insights(fields: &VisitFields, nth: usize, catalog: &InsightCatalog) -> VisitInsights {
    let proposals = suggest(&fields.notes, Lexicon::builtin());
    let product = fields.products.first().map(|p| p.product_id.clone());
    let key = |kind: &str| format!("{kind}-{nth}-{}", fields.started_at.map_or(0, |t| t.timestamp()));
    let mut insights = VisitInsights::default();
    if let Some(product) = &product {
        // One rung every four visits, up to the one below the top.
        let rung = (nth / 4).min(catalog.stages.len().saturating_sub(2));
        if let Some(stage) = catalog.stages.get(rung) {
            insights.stages.push(ProductStage {
                product_id: product.clone(),
                stage: stage.code.clone(),
            });
        }
    }
    insights.needs = (proposals.topics.iter())
        .filter(|t| catalog.has_topic(&t.code))
        .map(|t| InformationNeed {
            topic: t.code.clone(),
            product_id: product.clone(),
        })
        .collect();
    if let Some(flag) = &proposals.off_label {
        insights.questions.push(DoctorQuestion {
            id: key("q"),
            text: format!("適応外の可能性: {}", flag.cue),
            topic: None,
            product_id: product.clone(),
            off_label: true,
            status: QuestionStatus::Routed,
        });
    }
    if let Some(flag) = &proposals.adverse_event {
        insights.safety.push(SafetyMention {
            id: key("s"),
            text: format!("有害事象の可能性: {}", flag.cue),
            product_id: product.clone(),
            forwarded: nth % 2 == 0,
        });
    }
    insights.normalize();
    insights
}
