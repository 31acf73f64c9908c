//! The automerge document of one visit and its mapping to [`VisitFields`].
//!
//! Layout of the root map (schema 1): `schema` (1), `id` (UUID text), the scalar fields under their JSON names
//! (`started_at` as RFC 3339 text), `products` as a map product id → priority and `materials_shown` as a map
//! material id → version (maps, not lists, so concurrent edits of different entries merge entry by entry),
//! `notes` as Text, `status`, `entered_at` and `first_submitted_at` in milliseconds since the epoch, `comments`
//! as a list of maps (`document_comments`), the insights as four maps (`document_insights`).
//! Text positions are counted in Unicode scalar values (Rust `char`s).

use automerge::{
    transaction::{CommitOptions, Transactable},
    ActorId, AutoCommit, LoadOptions, ObjId, ObjType, ReadDoc, ScalarValue, ScalarValueRef, TextEncoding,
    Value, ValueRef, ROOT,
};
use chrono::{DateTime, Utc};

use super::{
    Amendment, Channel, MaterialShown, ProductDiscussed, Reaction, VisitError, VisitFields, VisitStatus,
};
use crate::ids::VisitId;

const SCHEMA: i64 = 1;
const NOTES: &str = "notes";
const PRODUCTS: &str = "products";
const MATERIALS: &str = "materials_shown";
const AMENDMENTS: &str = "amendments";

/// The state a document holds, read in one pass.
#[derive(Debug, Clone, PartialEq)]
pub struct DocState {
    pub id: VisitId,
    pub fields: VisitFields,
    pub status: VisitStatus,
    pub entered_at: DateTime<Utc>,
    pub first_submitted_at: Option<DateTime<Utc>>,
    pub amendments: Vec<Amendment>,
    /// A late edit from another device was merged after submission and waits for a reviewer.
    pub needs_review: bool,
    /// Comments (a manager's, the rep's), by time then id. They are not fields: they change no seal or score.
    pub comments: Vec<super::Comment>,
}

/// One visit's automerge document.
pub struct VisitDoc {
    pub(super) doc: AutoCommit,
    notes: ObjId,
}

impl VisitDoc {
    /// A new document holding `fields`, written by `actor`.
    pub fn create(
        actor: ActorId,
        id: VisitId,
        fields: &VisitFields,
        entered_at: DateTime<Utc>,
    ) -> Result<VisitDoc, VisitError> {
        let mut doc = AutoCommit::new_with_encoding(TextEncoding::UnicodeCodePoint).with_actor(actor);
        doc.put(ROOT, "schema", SCHEMA)?;
        doc.put(ROOT, "id", id.to_string())?;
        doc.put(ROOT, "status", VisitStatus::Draft.as_str())?;
        doc.put(ROOT, "entered_at", entered_at.timestamp_millis())?;
        let notes = doc.put_object(ROOT, NOTES, ObjType::Text)?;
        doc.put_object(ROOT, PRODUCTS, ObjType::Map)?;
        doc.put_object(ROOT, MATERIALS, ObjType::Map)?;
        let mut visit = VisitDoc { doc, notes };
        visit.init_comments()?;
        visit.init_insights()?;
        // Created with the document, so that two devices amending it concurrently append to one list.
        visit.doc.put_object(ROOT, AMENDMENTS, ObjType::List)?;
        visit.apply_fields(fields)?;
        visit.commit(entered_at);
        Ok(visit)
    }

    /// Loads a document from saved bytes (a full save, optionally followed by incremental chunks).
    pub fn load(bytes: &[u8], actor: ActorId) -> Result<VisitDoc, VisitError> {
        let options = LoadOptions::new().text_encoding(TextEncoding::UnicodeCodePoint);
        let doc = AutoCommit::load_with_options(bytes, options)?.with_actor(actor);
        let notes = match doc.get(ROOT, NOTES)? {
            Some((Value::Object(ObjType::Text), notes)) => notes,
            _ => return Err(VisitError::BadDocument("the root has no `notes` text".into())),
        };
        let visit = VisitDoc { doc, notes };
        visit.id()?;
        Ok(visit)
    }

    /// The visit id the document carries.
    pub fn id(&self) -> Result<VisitId, VisitError> {
        self.get_str("id")
            .and_then(|text| text.parse().ok())
            .ok_or_else(|| VisitError::BadDocument("the root has no valid `id`".into()))
    }

    /// The rep the visit belongs to, read alone (the sync server's scope check; [`VisitDoc::state`] reads all).
    pub fn rep_id(&self) -> Option<String> {
        self.get_str("rep_id")
    }

    /// Reads everything the projection needs.
    pub fn state(&self) -> Result<DocState, VisitError> {
        let mut fields = VisitFields {
            rep_id: self.get_str("rep_id"),
            hcp_id: self.get_str("hcp_id"),
            institution_id: self.get_str("institution_id"),
            channel: self.get_str("channel").and_then(|s| Channel::parse(&s)),
            started_at: self
                .get_str("started_at")
                .and_then(|s| DateTime::parse_from_rfc3339(&s).ok()),
            duration_min: self.get_int("duration_min").and_then(|n| u32::try_from(n).ok()),
            products: self
                .int_map(PRODUCTS)?
                .map(|(product_id, priority)| ProductDiscussed { product_id, priority })
                .collect(),
            materials_shown: self
                .int_map(MATERIALS)?
                .map(|(material_id, version)| MaterialShown { material_id, version })
                .collect(),
            reaction: self.get_str("reaction").and_then(|s| Reaction::parse(&s)),
            next_objective: self.get_str("next_objective"),
            notes: self.notes()?,
            insights: self.insights()?,
        };
        fields.normalize();
        Ok(DocState {
            id: self.id()?,
            fields,
            status: self
                .get_str("status")
                .and_then(|s| VisitStatus::parse(&s))
                .unwrap_or(VisitStatus::Draft),
            entered_at: self
                .get_int("entered_at")
                .and_then(DateTime::from_timestamp_millis)
                .unwrap_or_default(),
            first_submitted_at: self
                .get_int("first_submitted_at")
                .and_then(DateTime::from_timestamp_millis),
            amendments: self.amendments()?,
            needs_review: self.needs_review(),
            comments: self.comments()?,
        })
    }

    /// The amendment entries, oldest first. A document written before the list was created with it may hold
    /// several lists under the key (two devices amended it first, concurrently): the entries of all of them.
    fn amendments(&self) -> Result<Vec<Amendment>, VisitError> {
        let mut out = Vec::new();
        for (value, list) in self.doc.get_all(ROOT, AMENDMENTS)? {
            if value == Value::Object(ObjType::List) {
                self.read_amendments(&list, &mut out)?;
            }
        }
        // No dedup: two amendments with the same time, device and reason are two amendments.
        out.sort_by(|a, b| (a.at, &a.by, &a.reason).cmp(&(b.at, &b.by, &b.reason)));
        Ok(out)
    }

    fn read_amendments(&self, list: &automerge::ObjId, out: &mut Vec<Amendment>) -> Result<(), VisitError> {
        for i in 0..self.doc.length(list) {
            let Some((Value::Object(ObjType::Map), entry)) = self.doc.get(list, i)? else {
                continue;
            };
            let scalar = |key: &str| match self.doc.get(&entry, key) {
                Ok(Some((Value::Scalar(v), _))) => Some(v.into_owned()),
                _ => None,
            };
            let text = |key: &str| match scalar(key) {
                Some(ScalarValue::Str(s)) => s.to_string(),
                _ => String::new(),
            };
            out.push(Amendment {
                at: scalar("at")
                    .and_then(|v| scalar_int(&v))
                    .and_then(DateTime::from_timestamp_millis)
                    .unwrap_or_default(),
                by: text("by"),
                reason: text("reason"),
            });
        }
        Ok(())
    }

    /// The lifecycle status.
    pub fn status(&self) -> VisitStatus {
        self.get_str("status")
            .and_then(|s| VisitStatus::parse(&s))
            .unwrap_or(VisitStatus::Draft)
    }

    /// Marks the visit submitted; `first_submitted_at` is set once and never changes.
    pub fn submit(&mut self, now: DateTime<Utc>) -> Result<(), VisitError> {
        if self.get_int("first_submitted_at").is_none() {
            self.doc.put(ROOT, "first_submitted_at", now.timestamp_millis())?;
        }
        self.seal()?;
        self.set_status(VisitStatus::Submitted)
    }

    /// Records an amendment (who, when, why) and marks the visit amended.
    pub fn add_amendment(&mut self, amendment: &Amendment) -> Result<(), VisitError> {
        let list = match self.doc.get(ROOT, AMENDMENTS)? {
            Some((Value::Object(ObjType::List), list)) => list,
            _ => self.doc.put_object(ROOT, AMENDMENTS, ObjType::List)?,
        };
        let index = self.doc.length(&list);
        let entry = self.doc.insert_object(&list, index, ObjType::Map)?;
        self.doc.put(&entry, "at", amendment.at.timestamp_millis())?;
        self.doc.put(&entry, "by", amendment.by.as_str())?;
        self.doc.put(&entry, "reason", amendment.reason.as_str())?;
        self.seal()?;
        self.set_status(VisitStatus::Amended)
    }

    /// The notes text.
    pub fn notes(&self) -> Result<String, VisitError> {
        Ok(self.doc.text(&self.notes)?)
    }

    /// Writes the fields that differ from the document's, leaving equal ones untouched so that concurrent edits
    /// of other fields on other devices survive the merge. Returns whether anything changed.
    pub fn apply_fields(&mut self, new: &VisitFields) -> Result<bool, VisitError> {
        let mut changed = false;
        changed |= self.put_opt_str("rep_id", new.rep_id.as_deref())?;
        changed |= self.put_opt_str("hcp_id", new.hcp_id.as_deref())?;
        changed |= self.put_opt_str("institution_id", new.institution_id.as_deref())?;
        changed |= self.put_opt_str("channel", new.channel.map(Channel::as_str))?;
        changed |= self.put_opt_str("started_at", new.started_at.map(|t| t.to_rfc3339()).as_deref())?;
        changed |= self.put_opt_int("duration_min", new.duration_min.map(i64::from))?;
        changed |= self.put_opt_str("reaction", new.reaction.map(Reaction::as_str))?;
        changed |= self.put_opt_str("next_objective", new.next_objective.as_deref())?;
        let products = new
            .products
            .iter()
            .map(|p| (p.product_id.as_str(), i64::from(p.priority)));
        changed |= self.sync_int_map(PRODUCTS, products.collect())?;
        let materials = new
            .materials_shown
            .iter()
            .map(|m| (m.material_id.as_str(), i64::from(m.version)));
        changed |= self.sync_int_map(MATERIALS, materials.collect())?;
        if self.notes()? != new.notes {
            self.set_notes(&new.notes)?;
            changed = true;
        }
        let mut insights = new.insights.clone();
        insights.normalize();
        changed |= self.apply_insights(&insights)?;
        Ok(changed)
    }

    /// Replaces `delete` characters at `position` with `insert` (positions in Unicode scalar values).
    pub fn splice_notes(&mut self, position: usize, delete: usize, insert: &str) -> Result<(), VisitError> {
        let length = self.notes_len();
        if position.checked_add(delete).is_none_or(|end| end > length) {
            return Err(VisitError::NotesRange {
                position,
                delete,
                length,
            });
        }
        let delete = isize::try_from(delete).map_err(|_| VisitError::NotesRange {
            position,
            delete,
            length,
        })?;
        self.doc.splice_text(&self.notes, position, delete, insert)?;
        Ok(())
    }

    /// The notes' length in Unicode scalar values.
    pub fn notes_len(&self) -> usize {
        self.doc.length(&self.notes)
    }

    /// Replaces the whole notes text, expressed as the smallest edits from the current text.
    pub fn set_notes(&mut self, text: &str) -> Result<(), VisitError> {
        self.doc.update_text(&self.notes, text)?;
        Ok(())
    }

    /// Sets the lifecycle status.
    pub fn set_status(&mut self, status: VisitStatus) -> Result<(), VisitError> {
        self.put_opt_str("status", Some(status.as_str()))?;
        Ok(())
    }

    /// Closes the pending local edits into one change stamped with `now`.
    pub fn commit(&mut self, now: DateTime<Utc>) {
        self.doc
            .commit_with(CommitOptions::default().with_time(now.timestamp()));
    }

    /// The changes since the last save (or load), as bytes to append to the stored chunks.
    pub fn save_incremental(&mut self) -> Vec<u8> {
        self.doc.save_incremental()
    }

    /// The whole document, compacted.
    pub fn save(&mut self) -> Vec<u8> {
        self.doc.save()
    }

    /// The hashes of the document's current heads, as hex, sorted: equal heads mean equal documents.
    pub fn heads(&mut self) -> Vec<String> {
        let mut heads: Vec<String> = self.doc.get_heads().iter().map(|h| h.to_string()).collect();
        heads.sort();
        heads
    }

    /// The raw 32-byte hashes of the current heads, sorted.
    pub fn head_hashes(&mut self) -> Vec<[u8; 32]> {
        let mut heads: Vec<[u8; 32]> = self.doc.get_heads().iter().map(|h| h.0).collect();
        heads.sort();
        heads
    }

    /// Whether the document holds every change named by `heads`.
    pub fn has_all(&self, heads: &[[u8; 32]]) -> bool {
        heads
            .iter()
            .all(|h| self.doc.get_change_by_hash(&automerge::ChangeHash(*h)).is_some())
    }

    /// The changes made after `heads` (all changes when `heads` is empty or unknown here).
    pub fn save_after(&mut self, heads: &[[u8; 32]]) -> Vec<u8> {
        if !self.has_all(heads) {
            return self.doc.save();
        }
        let heads: Vec<automerge::ChangeHash> = heads.iter().map(|h| automerge::ChangeHash(*h)).collect();
        self.doc.save_after(&heads)
    }

    /// Applies changes from another replica (a save or incremental chunks). Returns whether the document changed.
    /// Changes whose dependencies are missing are held back by automerge; [`VisitDoc::lacks_dependencies`] tells.
    pub fn apply_changes(&mut self, bytes: &[u8]) -> Result<bool, VisitError> {
        let before = self.doc.get_heads();
        self.doc.load_incremental(bytes)?;
        Ok(self.doc.get_heads() != before)
    }

    /// Whether some applied changes wait for dependencies this document does not have.
    pub fn lacks_dependencies(&self) -> bool {
        !self.doc.get_missing_deps(&[]).is_empty()
    }

    /// Merges another replica of the same visit. Returns whether this document gained anything.
    pub fn merge(&mut self, other: &mut VisitDoc) -> Result<bool, VisitError> {
        let (mine, theirs) = (self.id()?, other.id()?);
        if mine != theirs {
            return Err(VisitError::WrongVisit {
                expected: mine,
                found: theirs,
            });
        }
        let before = self.doc.get_heads();
        self.doc.merge(&mut other.doc)?;
        Ok(self.doc.get_heads() != before)
    }

    pub(super) fn get_str(&self, key: &str) -> Option<String> {
        match self.doc.get(ROOT, key) {
            Ok(Some((Value::Scalar(value), _))) => match value.as_ref() {
                ScalarValue::Str(text) => Some(text.to_string()),
                _ => None,
            },
            _ => None,
        }
    }

    fn get_int(&self, key: &str) -> Option<i64> {
        match self.doc.get(ROOT, key) {
            Ok(Some((Value::Scalar(value), _))) => scalar_int(value.as_ref()),
            _ => None,
        }
    }

    fn map_obj(&self, key: &str) -> Result<Option<ObjId>, VisitError> {
        Ok(match self.doc.get(ROOT, key)? {
            Some((Value::Object(ObjType::Map), obj)) => Some(obj),
            _ => None,
        })
    }

    fn int_map(&self, key: &str) -> Result<impl Iterator<Item = (String, u32)>, VisitError> {
        let mut entries = Vec::new();
        if let Some(obj) = self.map_obj(key)? {
            for item in self.doc.map_range(&obj, ..) {
                let number = match item.value {
                    ValueRef::Scalar(ScalarValueRef::Int(n)) => Some(n),
                    ValueRef::Scalar(ScalarValueRef::Uint(n)) => i64::try_from(n).ok(),
                    _ => None,
                };
                if let Some(n) = number.and_then(|n| u32::try_from(n).ok()) {
                    entries.push((item.key.to_string(), n));
                }
            }
        }
        Ok(entries.into_iter())
    }

    fn put_opt_str(&mut self, key: &str, value: Option<&str>) -> Result<bool, VisitError> {
        if self.get_str(key).as_deref() == value {
            return Ok(false);
        }
        match value {
            Some(text) => self.doc.put(ROOT, key, text)?,
            None => self.doc.delete(ROOT, key)?,
        }
        Ok(true)
    }

    fn put_opt_int(&mut self, key: &str, value: Option<i64>) -> Result<bool, VisitError> {
        if self.get_int(key) == value {
            return Ok(false);
        }
        match value {
            Some(n) => self.doc.put(ROOT, key, n)?,
            None => self.doc.delete(ROOT, key)?,
        }
        Ok(true)
    }

    /// Makes the map under `key` hold exactly `wanted`, touching only the entries that differ.
    fn sync_int_map(&mut self, key: &str, wanted: Vec<(&str, i64)>) -> Result<bool, VisitError> {
        let obj = match self.map_obj(key)? {
            Some(obj) => obj,
            None => self.doc.put_object(ROOT, key, ObjType::Map)?,
        };
        let current: Vec<(String, i64)> = self.int_map(key)?.map(|(k, v)| (k, i64::from(v))).collect();
        let mut changed = false;
        for (k, _) in &current {
            if !wanted.iter().any(|(w, _)| w == k) {
                self.doc.delete(&obj, k.as_str())?;
                changed = true;
            }
        }
        for (k, v) in wanted {
            if !current.iter().any(|(c, cv)| c == k && *cv == v) {
                self.doc.put(&obj, k, v)?;
                changed = true;
            }
        }
        Ok(changed)
    }
}

fn scalar_int(value: &ScalarValue) -> Option<i64> {
    match value {
        ScalarValue::Int(n) => Some(*n),
        ScalarValue::Uint(n) => i64::try_from(*n).ok(),
        _ => None,
    }
}
