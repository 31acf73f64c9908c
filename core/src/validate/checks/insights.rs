//! `unknown_insight_code`, `insight_product_not_discussed`, `off_label_answered`, and `required` for an insight
//! without text: the doctor's insights against the catalog and the visit's own products.

use crate::{
    validate::{Code, Context, Detail, Finding},
    visit::{QuestionStatus, VisitFields},
};

pub fn check(f: &VisitFields, ctx: &Context, out: &mut Vec<Finding>) {
    let insights = &f.insights;
    let reference = |ja, en, id: &str| Detail::Reference {
        ja,
        en,
        id: id.to_owned(),
    };
    let unknown_topic = |field: String, topic: &str| {
        Finding::new(
            Code::UnknownInsightCode,
            field,
            &reference("トピック", "topic", topic),
        )
    };
    let discussed = |product: &str| f.products.iter().any(|p| p.product_id == product);
    let product = |field: String, product: Option<&str>, out: &mut Vec<Finding>| {
        if let Some(id) = product.filter(|id| !discussed(id)) {
            out.push(Finding::new(
                Code::InsightProductNotDiscussed,
                field,
                &reference("製品", "product", id),
            ));
        }
    };
    let blank = |field: String, ja, en| Finding::new(Code::Required, field, &Detail::Field { ja, en });
    for (i, s) in insights.stages.iter().enumerate() {
        if ctx.catalog.stage(&s.stage).is_none() {
            let detail = reference("採用段階", "adoption stage", &s.stage);
            out.push(Finding::new(
                Code::UnknownInsightCode,
                format!("/insights/stages/{i}/stage"),
                &detail,
            ));
        }
        product(
            format!("/insights/stages/{i}/product_id"),
            Some(&s.product_id),
            out,
        );
    }
    for (i, n) in insights.needs.iter().enumerate() {
        if !ctx.catalog.has_topic(&n.topic) {
            out.push(unknown_topic(format!("/insights/needs/{i}/topic"), &n.topic));
        }
        product(
            format!("/insights/needs/{i}/product_id"),
            n.product_id.as_deref(),
            out,
        );
    }
    for (i, q) in insights.questions.iter().enumerate() {
        if q.text.trim().is_empty() {
            out.push(blank(
                format!("/insights/questions/{i}/text"),
                "質問の内容",
                "The question",
            ));
        }
        if let Some(topic) = q.topic.as_deref().filter(|t| !ctx.catalog.has_topic(t)) {
            out.push(unknown_topic(format!("/insights/questions/{i}/topic"), topic));
        }
        product(
            format!("/insights/questions/{i}/product_id"),
            q.product_id.as_deref(),
            out,
        );
        if q.off_label && q.status == QuestionStatus::Answered {
            out.push(Finding::new(
                Code::OffLabelAnswered,
                format!("/insights/questions/{i}/status"),
                &Detail::None,
            ));
        }
    }
    for (i, s) in insights.safety.iter().enumerate() {
        if s.text.trim().is_empty() {
            out.push(blank(
                format!("/insights/safety/{i}/text"),
                "安全性情報の内容",
                "The safety information",
            ));
        }
        product(
            format!("/insights/safety/{i}/product_id"),
            s.product_id.as_deref(),
            out,
        );
    }
}
