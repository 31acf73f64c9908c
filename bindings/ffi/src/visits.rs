//! Visit capture through the FFI: create, edit fields and notes, read, list, export and merge replicas.
//!
//! Notes positions are Unicode scalar values, as in the core; the Kotlin and Swift wrappers convert from UTF-16.

use mrc_core::{
    ffi_types::{LocalDate, UtcTime},
    visit::{MergeOutcome, Visit, VisitFields, VisitFilter},
    VisitId,
};

use crate::{
    error::{bad_id, guard, MrcError},
    observer::ChangeKind,
    MrcStore,
};

/// A visit read from its JSON input shape: the optional id and the form.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct VisitInput {
    pub id: Option<VisitId>,
    pub fields: VisitFields,
}

/// Reads visit JSON (the CLI's and the server's shape); a refusal names the JSON pointer of the first problem.
#[uniffi::export]
pub fn parse_visit_json(json: String) -> Result<VisitInput, MrcError> {
    guard(|| {
        let (id, fields) = mrc_core::visit::parse_visit_input(&json).map_err(|e| MrcError::Validation {
            // A time without its offset names no instant: say so (the reason itself may quote the input).
            code: if e.reason.contains(mrc_core::local_time::NO_OFFSET) {
                "missing_offset".into()
            } else {
                "invalid_value".into()
            },
            field: e.path,
            findings: Vec::new(),
        })?;
        Ok(VisitInput { id, fields })
    })
}

/// Parses an id given by the app.
pub(crate) fn visit_id(text: &str) -> Result<VisitId, MrcError> {
    text.parse().map_err(|_| bad_id("id"))
}

#[uniffi::export]
impl MrcStore {
    /// Creates a draft visit entered now; returns its new id.
    pub fn create_visit(&self, fields: VisitFields) -> Result<VisitId, MrcError> {
        guard(|| {
            let id = self.store.create_visit(&fields)?;
            self.notify(id, ChangeKind::Created);
            Ok(id)
        })
    }

    /// Replaces a draft's form state (only differing fields are written); `true` if anything changed.
    pub fn update_visit(&self, id: String, fields: VisitFields) -> Result<bool, MrcError> {
        guard(|| {
            let id = visit_id(&id)?;
            let changed = self.store.update_visit(id, &fields)?;
            if changed {
                self.notify(id, ChangeKind::Updated);
            }
            Ok(changed)
        })
    }

    /// Replaces `delete` characters of the notes at `position` with `insert` (Unicode scalar values). With
    /// `expected_length` (the length of the text the edit was computed on), an edit made against other text is
    /// refused (`Validation` with code `stale_edit`) instead of landing at a stale position.
    #[uniffi::method(default(expected_length = None))]
    pub fn splice_notes(
        &self,
        id: String,
        position: u32,
        delete: u32,
        insert: String,
        expected_length: Option<u32>,
    ) -> Result<(), MrcError> {
        guard(|| {
            let id = visit_id(&id)?;
            let expected = expected_length.map(|n| n as usize);
            self.store
                .splice_notes_against(id, expected, position as usize, delete as usize, &insert)?;
            self.notify(id, ChangeKind::NotesEdited);
            Ok(())
        })
    }

    /// Replaces the whole notes text (stored as the minimal edit).
    pub fn set_notes(&self, id: String, text: String) -> Result<(), MrcError> {
        guard(|| {
            let id = visit_id(&id)?;
            self.store.set_notes(id, &text)?;
            self.notify(id, ChangeKind::NotesEdited);
            Ok(())
        })
    }

    /// One visit.
    pub fn get_visit(&self, id: String) -> Result<Visit, MrcError> {
        guard(|| Ok(self.store.get_visit(visit_id(&id)?)?))
    }

    /// Visits starting on the local day of the instant `now` in the store's zone, newest first.
    pub fn list_visits_today(&self, now: UtcTime) -> Result<Vec<Visit>, MrcError> {
        guard(|| Ok(self.store.list_visits(&VisitFilter::Today { now })?))
    }

    /// All visits of one HCP, newest first.
    pub fn list_visits_for_hcp(&self, hcp_id: String) -> Result<Vec<Visit>, MrcError> {
        guard(|| Ok(self.store.list_visits(&VisitFilter::Hcp(hcp_id))?))
    }

    /// Visits starting between two local dates (both included) in the store's zone, newest first.
    pub fn list_visits_between(&self, from: LocalDate, to: LocalDate) -> Result<Vec<Visit>, MrcError> {
        guard(|| Ok(self.store.list_visits(&VisitFilter::Dates { from, to })?))
    }

    /// The visit's compacted automerge document (what another replica, or any automerge, loads).
    pub fn export_visit(&self, id: String) -> Result<Vec<u8>, MrcError> {
        guard(|| Ok(self.store.export_visit(visit_id(&id)?)?))
    }

    /// Merges another replica's document, creating the visit if it is new here.
    pub fn merge_visit(&self, document: Vec<u8>) -> Result<MergeOutcome, MrcError> {
        guard(|| {
            let outcome = self.store.merge_visit(&document)?;
            if outcome.changed {
                self.notify(outcome.id, ChangeKind::Merged);
            }
            Ok(outcome)
        })
    }

    /// Merges another replica's document into the visit `id`, refusing a document of another visit.
    pub fn merge_visit_into(&self, id: String, document: Vec<u8>) -> Result<MergeOutcome, MrcError> {
        guard(|| {
            let outcome = self.store.merge_visit_into(visit_id(&id)?, &document)?;
            if outcome.changed {
                self.notify(outcome.id, ChangeKind::Merged);
            }
            Ok(outcome)
        })
    }
}
