//! Insights in the visit document: four root maps, one entry per key, so concurrent edits of different entries
//! merge entry by entry and no device's need, question or stage hides another's.
//!
//! - `insight_stages`: product id → stage code (text).
//! - `insight_needs`: `topic|product` (`topic|` for a general need) → `true`.
//! - `insight_questions`: question id → map `{text, topic, product_id, off_label, status}`.
//! - `insight_safety`: mention id → map `{text, product_id, forwarded}`.
//!
//! New documents are created with the four maps. A document from before them gets each from its first insight; two
//! replicas creating one concurrently leave two conflicting maps under the key, so reading takes the entries of
//! every one of them (the first wins a key both hold), writing puts into the winning one and deletes from all.
//! Two devices changing the same product's stage (or the same question's field) concurrently keep automerge's one
//! winner on every device.

use automerge::{transaction::Transactable, ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};

use super::{
    insights::{DoctorQuestion, InformationNeed, ProductStage, QuestionStatus, SafetyMention},
    VisitDoc, VisitError, VisitInsights,
};

const STAGES: &str = "insight_stages";
const NEEDS: &str = "insight_needs";
const QUESTIONS: &str = "insight_questions";
const SAFETY: &str = "insight_safety";

/// The key of a need in `insight_needs`. Topic codes hold no `|`; product ids may.
fn need_key(need: &InformationNeed) -> String {
    format!("{}|{}", need.topic, need.product_id.as_deref().unwrap_or(""))
}

fn parse_need_key(key: &str) -> Option<InformationNeed> {
    let (topic, product) = key.split_once('|')?;
    Some(InformationNeed {
        topic: topic.to_owned(),
        product_id: (!product.is_empty()).then(|| product.to_owned()),
    })
}

impl VisitDoc {
    /// Creates the four empty maps (for a new document).
    pub(super) fn init_insights(&mut self) -> Result<(), VisitError> {
        for key in [STAGES, NEEDS, QUESTIONS, SAFETY] {
            self.doc.put_object(ROOT, key, ObjType::Map)?;
        }
        Ok(())
    }

    /// The insights the document holds, in canonical order.
    pub fn insights(&self) -> Result<VisitInsights, VisitError> {
        let mut insights = VisitInsights::default();
        for (key, value) in self.entries(STAGES)? {
            if let Value::Scalar(s) = value {
                if let ScalarValue::Str(stage) = s.as_ref() {
                    insights.stages.push(ProductStage {
                        product_id: key,
                        stage: stage.to_string(),
                    });
                }
            }
        }
        for (key, _) in self.entries(NEEDS)? {
            insights.needs.extend(parse_need_key(&key));
        }
        for (id, value) in self.entries(QUESTIONS)? {
            if let Value::Object(ObjType::Map) = value {
                let entry = self.entry_obj(QUESTIONS, &id)?;
                if let Some(question) = entry.and_then(|obj| self.read_question(id, &obj)) {
                    insights.questions.push(question);
                }
            }
        }
        for (id, value) in self.entries(SAFETY)? {
            if let Value::Object(ObjType::Map) = value {
                if let Some(obj) = self.entry_obj(SAFETY, &id)? {
                    insights.safety.push(SafetyMention {
                        text: self.text_at(&obj, "text").unwrap_or_default(),
                        product_id: self.text_at(&obj, "product_id"),
                        forwarded: self.bool_at(&obj, "forwarded"),
                        id,
                    });
                }
            }
        }
        insights.normalize();
        Ok(insights)
    }

    /// Makes the document hold exactly `wanted` (normalized by the caller), touching only what differs. Returns
    /// whether anything changed.
    pub(super) fn apply_insights(&mut self, wanted: &VisitInsights) -> Result<bool, VisitError> {
        let current = self.insights()?;
        if current == *wanted {
            return Ok(false);
        }
        // Stages.
        for old in &current.stages {
            if !wanted.stages.iter().any(|s| s.product_id == old.product_id) {
                self.delete_everywhere(STAGES, &old.product_id)?;
            }
        }
        for stage in &wanted.stages {
            if !current.stages.contains(stage) {
                let map = self.map_for_write(STAGES)?;
                self.doc
                    .put(&map, stage.product_id.as_str(), stage.stage.as_str())?;
            }
        }
        // Needs.
        for old in &current.needs {
            if !wanted.needs.contains(old) {
                self.delete_everywhere(NEEDS, &need_key(old))?;
            }
        }
        for need in &wanted.needs {
            if !current.needs.contains(need) {
                let map = self.map_for_write(NEEDS)?;
                self.doc.put(&map, need_key(need), true)?;
            }
        }
        // Questions and safety mentions: one nested map per entry, fields written one by one.
        for old in &current.questions {
            if !wanted.questions.iter().any(|q| q.id == old.id) {
                self.delete_everywhere(QUESTIONS, &old.id)?;
            }
        }
        for question in &wanted.questions {
            let before = current.questions.iter().find(|q| q.id == question.id);
            if before == Some(question) {
                continue;
            }
            let obj = self.entry_for_write(QUESTIONS, &question.id)?;
            let fields: [(&str, Option<ScalarValue>); 5] = [
                ("text", Some(question.text.as_str().into())),
                ("topic", question.topic.as_deref().map(Into::into)),
                ("product_id", question.product_id.as_deref().map(Into::into)),
                ("off_label", Some(question.off_label.into())),
                ("status", Some(question.status.as_str().into())),
            ];
            self.put_fields(&obj, fields)?;
        }
        for old in &current.safety {
            if !wanted.safety.iter().any(|s| s.id == old.id) {
                self.delete_everywhere(SAFETY, &old.id)?;
            }
        }
        for mention in &wanted.safety {
            let before = current.safety.iter().find(|s| s.id == mention.id);
            if before == Some(mention) {
                continue;
            }
            let obj = self.entry_for_write(SAFETY, &mention.id)?;
            let fields: [(&str, Option<ScalarValue>); 3] = [
                ("text", Some(mention.text.as_str().into())),
                ("product_id", mention.product_id.as_deref().map(Into::into)),
                ("forwarded", Some(mention.forwarded.into())),
            ];
            self.put_fields(&obj, fields)?;
        }
        Ok(true)
    }

    fn read_question(&self, id: String, obj: &ObjId) -> Option<DoctorQuestion> {
        let status = self
            .text_at(obj, "status")
            .and_then(|s| QuestionStatus::parse(&s))?;
        Some(DoctorQuestion {
            text: self.text_at(obj, "text").unwrap_or_default(),
            topic: self.text_at(obj, "topic"),
            product_id: self.text_at(obj, "product_id"),
            off_label: self.bool_at(obj, "off_label"),
            status,
            id,
        })
    }

    /// Every map under `key` (more than one after a concurrent first creation), the winner first.
    fn insight_maps(&self, key: &str) -> Result<Vec<ObjId>, VisitError> {
        let winner = match self.doc.get(ROOT, key)? {
            Some((Value::Object(ObjType::Map), obj)) => Some(obj),
            _ => None,
        };
        let others = self
            .doc
            .get_all(ROOT, key)?
            .into_iter()
            .filter(|(value, obj)| *value == Value::Object(ObjType::Map) && Some(obj) != winner.as_ref())
            .map(|(_, obj)| obj)
            .collect::<Vec<_>>();
        Ok(winner.into_iter().chain(others).collect())
    }

    /// The entries of every map under `key`; the first map holding a key gives its value.
    fn entries(&self, key: &str) -> Result<Vec<(String, Value<'static>)>, VisitError> {
        let mut out: Vec<(String, Value<'static>)> = Vec::new();
        for map in self.insight_maps(key)? {
            for item in self.doc.map_range(&map, ..) {
                if !out.iter().any(|(k, _)| k == item.key.as_ref()) {
                    out.push((item.key.to_string(), item.value.into()));
                }
            }
        }
        Ok(out)
    }

    /// The nested map of entry `id` under `key`, from the first map that holds it.
    fn entry_obj(&self, key: &str, id: &str) -> Result<Option<ObjId>, VisitError> {
        for map in self.insight_maps(key)? {
            if let Some((Value::Object(ObjType::Map), obj)) = self.doc.get(&map, id)? {
                return Ok(Some(obj));
            }
        }
        Ok(None)
    }

    fn map_for_write(&mut self, key: &str) -> Result<ObjId, VisitError> {
        match self.insight_maps(key)?.into_iter().next() {
            Some(map) => Ok(map),
            None => Ok(self.doc.put_object(ROOT, key, ObjType::Map)?),
        }
    }

    fn entry_for_write(&mut self, key: &str, id: &str) -> Result<ObjId, VisitError> {
        match self.entry_obj(key, id)? {
            Some(obj) => Ok(obj),
            None => {
                let map = self.map_for_write(key)?;
                Ok(self.doc.put_object(&map, id, ObjType::Map)?)
            }
        }
    }

    fn delete_everywhere(&mut self, key: &str, entry: &str) -> Result<(), VisitError> {
        for map in self.insight_maps(key)? {
            if self.doc.get(&map, entry)?.is_some() {
                self.doc.delete(&map, entry)?;
            }
        }
        Ok(())
    }

    /// Writes the fields of a nested entry that differ (a `None` deletes the field).
    fn put_fields<const N: usize>(
        &mut self,
        obj: &ObjId,
        fields: [(&str, Option<ScalarValue>); N],
    ) -> Result<(), VisitError> {
        for (name, value) in fields {
            let stored = match self.doc.get(obj, name)? {
                Some((Value::Scalar(s), _)) => Some(s.into_owned()),
                _ => None,
            };
            if stored == value {
                continue;
            }
            match value {
                Some(v) => self.doc.put(obj, name, v)?,
                None => self.doc.delete(obj, name)?,
            }
        }
        Ok(())
    }

    fn text_at(&self, obj: &ObjId, name: &str) -> Option<String> {
        match self.doc.get(obj, name) {
            Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
                ScalarValue::Str(text) => Some(text.to_string()),
                _ => None,
            },
            _ => None,
        }
    }

    fn bool_at(&self, obj: &ObjId, name: &str) -> bool {
        matches!(self.doc.get(obj, name), Ok(Some((Value::Scalar(s), _))) if *s.as_ref() == ScalarValue::Boolean(true))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use automerge::{transaction::Transactable, ActorId, ROOT};
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::{ids::VisitId, visit::VisitFields};

    fn actor(n: u8) -> ActorId {
        ActorId::from([n; 16].as_slice())
    }

    /// A document as written before insights existed: no insight maps.
    fn document_without_insight_maps() -> VisitDoc {
        let fields = VisitFields {
            rep_id: Some("R1".into()),
            notes: "先生は腎機能低下例での使い方に関心".into(),
            ..VisitFields::default()
        };
        let at = Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, 0).unwrap();
        let mut doc = VisitDoc::create(actor(1), VisitId::new_v7(), &fields, at).unwrap();
        for key in [STAGES, NEEDS, QUESTIONS, SAFETY] {
            doc.doc.delete(ROOT, key).unwrap();
        }
        doc.commit(at);
        doc
    }

    fn with_need(doc: &mut VisitDoc, topic: &str) {
        let mut insights = doc.insights().unwrap();
        insights.needs.push(InformationNeed {
            topic: topic.into(),
            product_id: Some("P1".into()),
        });
        insights.normalize();
        assert!(doc.apply_insights(&insights).unwrap());
        doc.commit(Utc.with_ymd_and_hms(2026, 11, 20, 2, 0, 0).unwrap());
    }

    #[test]
    fn two_devices_first_writing_insights_into_an_old_document_keep_both_maps_entries() {
        let mut old = document_without_insight_maps();
        let bytes = old.save();
        let mut tablet = VisitDoc::load(&bytes, actor(2)).unwrap();
        let mut phone = VisitDoc::load(&bytes, actor(3)).unwrap();
        with_need(&mut tablet, "dosing_renal");
        with_need(&mut phone, "interactions");
        tablet.merge(&mut phone).unwrap();
        assert_eq!(
            tablet.doc.get_all(ROOT, NEEDS).unwrap().len(),
            2,
            "two conflicting maps"
        );
        let topics: Vec<String> = tablet
            .insights()
            .unwrap()
            .needs
            .into_iter()
            .map(|n| n.topic)
            .collect();
        assert_eq!(topics, ["dosing_renal", "interactions"]);

        // Removing a need held by the losing map removes it.
        let mut insights = tablet.insights().unwrap();
        insights.needs.clear();
        assert!(tablet.apply_insights(&insights).unwrap());
        assert!(tablet.insights().unwrap().needs.is_empty());
    }
}
