//! What the doctor needs, as structured data in the visit: the adoption stage per product, information needs,
//! questions (open, answered, routed to Medical; off-label or not) and safety information mentioned.
//!
//! Codes (stages, topics) come from master data (`crate::master::InsightCatalog`). Every entry has a key the form
//! keeps (product, topic and product, or an id the app makes), so the document stores each as its own map entry and
//! two devices editing different entries merge entry by entry (`document_insights`).

use serde::{Deserialize, Serialize};

/// The doctor's stage on the adoption ladder for one product, as the rep judged it at this visit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProductStage {
    pub product_id: String,
    /// A stage code of the ladder (e.g. `trial`).
    pub stage: String,
}

/// An information need: a topic of the taxonomy, for one product or in general.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct InformationNeed {
    /// A topic code (e.g. `dosing_renal`).
    pub topic: String,
    #[serde(default)]
    pub product_id: Option<String>,
}

/// Where a question stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum QuestionStatus {
    /// Not answered yet.
    Open,
    /// The rep answered it within the approved use.
    Answered,
    /// Sent to Medical (an off-label question is answered by Medical, not the rep).
    Routed,
}

crate::text_enum!(QuestionStatus { Open => "open", Answered => "answered", Routed => "routed" });

/// A question the doctor asked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DoctorQuestion {
    /// Made by the app when the question is first written (a time-ordered UUID keeps the list in asking order).
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub topic: Option<String>,
    #[serde(default)]
    pub product_id: Option<String>,
    /// Outside the approved use: Medical answers it.
    #[serde(default)]
    pub off_label: bool,
    pub status: QuestionStatus,
}

/// Safety information the doctor mentioned: a possible adverse event, to forward to pharmacovigilance.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SafetyMention {
    /// Made by the app, as a question's.
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub product_id: Option<String>,
    /// Forwarded to pharmacovigilance.
    #[serde(default)]
    pub forwarded: bool,
}

/// The insights of one visit. Empty in a visit that records none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct VisitInsights {
    /// One stage per product, sorted by product id.
    #[serde(default)]
    pub stages: Vec<ProductStage>,
    /// Sorted by topic, then product (general needs first).
    #[serde(default)]
    pub needs: Vec<InformationNeed>,
    /// Sorted by id.
    #[serde(default)]
    pub questions: Vec<DoctorQuestion>,
    /// Sorted by id.
    #[serde(default)]
    pub safety: Vec<SafetyMention>,
}

impl VisitInsights {
    /// Whether nothing is recorded (the JSON form then leaves the key out, as before insights existed).
    pub fn is_empty(&self) -> bool {
        self.stages.is_empty() && self.needs.is_empty() && self.questions.is_empty() && self.safety.is_empty()
    }

    /// Puts every list in its canonical order and keeps one entry per key (the last given), so equal content
    /// compares equal.
    pub fn normalize(&mut self) {
        fn last_per_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
            items.reverse();
            items.sort_by_key(&key);
            items.dedup_by(|a, b| key(a) == key(b));
        }
        last_per_key(&mut self.stages, |s| s.product_id.clone());
        last_per_key(&mut self.needs, |n| (n.topic.clone(), n.product_id.clone()));
        last_per_key(&mut self.questions, |q| q.id.clone());
        last_per_key(&mut self.safety, |s| s.id.clone());
    }

    /// Refuses entries whose keys would make two of them one when stored: a question or safety mention without an
    /// id or sharing one, two stages of one product, a stage without a product or a need without a topic. Checked
    /// before [`VisitInsights::normalize`], which would otherwise keep only one of them silently.
    pub fn check_keys(&self) -> Result<(), crate::json_path::JsonError> {
        use crate::json_path::JsonError;
        fn unique<'a>(
            keys: impl Iterator<Item = &'a str>,
            path: impl Fn(usize) -> String,
            what: &str,
        ) -> Result<(), JsonError> {
            let mut seen = std::collections::HashSet::new();
            for (i, key) in keys.enumerate() {
                if key.trim().is_empty() {
                    return Err(JsonError::at(path(i), format!("{what} must not be empty")));
                }
                if !seen.insert(key) {
                    return Err(JsonError::at(path(i), format!("{what} \"{key}\" is given twice")));
                }
            }
            Ok(())
        }
        let stages = self.stages.iter().map(|s| s.product_id.as_str());
        unique(
            stages,
            |i| format!("/insights/stages/{i}/product_id"),
            "the stage's product",
        )?;
        let questions = self.questions.iter().map(|q| q.id.as_str());
        unique(
            questions,
            |i| format!("/insights/questions/{i}/id"),
            "the question id",
        )?;
        let safety = self.safety.iter().map(|s| s.id.as_str());
        unique(
            safety,
            |i| format!("/insights/safety/{i}/id"),
            "the safety mention id",
        )?;
        match self.needs.iter().position(|n| n.topic.trim().is_empty()) {
            Some(i) => Err(JsonError::at(
                format!("/insights/needs/{i}/topic"),
                "the topic must not be empty",
            )),
            None => Ok(()),
        }
    }

    /// Questions outside the approved use not yet routed to Medical.
    pub fn off_label_awaiting_routing(&self) -> impl Iterator<Item = &DoctorQuestion> {
        self.questions
            .iter()
            .filter(|q| q.off_label && q.status != QuestionStatus::Routed)
    }

    /// Safety mentions not yet forwarded to pharmacovigilance.
    pub fn safety_awaiting_forwarding(&self) -> impl Iterator<Item = &SafetyMention> {
        self.safety.iter().filter(|s| !s.forwarded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_sorts_and_keeps_the_last_entry_per_key() {
        let need = |topic: &str, product: Option<&str>| InformationNeed {
            topic: topic.into(),
            product_id: product.map(Into::into),
        };
        let mut insights = VisitInsights {
            stages: vec![
                ProductStage {
                    product_id: "P2".into(),
                    stage: "aware".into(),
                },
                ProductStage {
                    product_id: "P1".into(),
                    stage: "interested".into(),
                },
                ProductStage {
                    product_id: "P2".into(),
                    stage: "trial".into(),
                },
            ],
            needs: vec![
                need("safety", Some("P1")),
                need("efficacy", None),
                need("safety", Some("P1")),
            ],
            ..VisitInsights::default()
        };
        insights.normalize();
        let stages: Vec<(&str, &str)> = insights
            .stages
            .iter()
            .map(|s| (s.product_id.as_str(), s.stage.as_str()))
            .collect();
        assert_eq!(stages, [("P1", "interested"), ("P2", "trial")]);
        assert_eq!(
            insights.needs,
            [need("efficacy", None), need("safety", Some("P1"))]
        );
    }

    #[test]
    fn awaiting_lists_name_unrouted_off_label_questions_and_unforwarded_safety_mentions() {
        let question = |id: &str, off_label, status| DoctorQuestion {
            id: id.into(),
            text: "腎機能低下例での用量は？".into(),
            topic: Some("dosing_renal".into()),
            product_id: None,
            off_label,
            status,
        };
        let insights = VisitInsights {
            questions: vec![
                question("q1", true, QuestionStatus::Open),
                question("q2", true, QuestionStatus::Routed),
                question("q3", false, QuestionStatus::Open),
            ],
            safety: vec![SafetyMention {
                id: "s1".into(),
                text: "投与後に肝機能値が上昇した患者がいた".into(),
                product_id: Some("P1".into()),
                forwarded: false,
            }],
            ..VisitInsights::default()
        };
        let ids: Vec<&str> = insights
            .off_label_awaiting_routing()
            .map(|q| q.id.as_str())
            .collect();
        assert_eq!(ids, ["q1"]);
        assert_eq!(insights.safety_awaiting_forwarding().count(), 1);
    }
}
