//! Errors of visit operations.

use crate::{ids::VisitId, json_path::JsonError, store::StoreError};

/// Why a visit operation failed. Nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum VisitError {
    /// No visit with this id is stored.
    #[error("no visit with id {0}")]
    NotFound(VisitId),
    /// A visit with this id is already stored.
    #[error("a visit with id {0} already exists")]
    Duplicate(VisitId),
    /// The visit is submitted: it changes only through an amendment with a reason.
    #[error("visit {0} is submitted; change it with an amendment and a reason (edit_after_submit)")]
    Locked(VisitId),
    /// An amendment needs a reason.
    #[error("an amendment needs a reason (edit_after_submit)")]
    ReasonRequired,
    /// Validation found errors, so the visit was not submitted or amended.
    #[error("the visit has {} error(s): {}", .0.findings.iter().filter(|f| f.severity == crate::validate::Severity::Error).count(),
        .0.findings.iter().filter(|f| f.severity == crate::validate::Severity::Error).map(|f| f.code.as_str()).collect::<Vec<_>>().join(", "))]
    Rejected(Box<crate::validate::Report>),
    /// The visit JSON does not have the expected shape.
    #[error("visit refused at {}: {}", if .0.path.is_empty() { "/" } else { .0.path.as_str() }, .0.reason)]
    Invalid(JsonError),
    /// A notes edit points outside the text.
    #[error(
        "notes edit out of range: position {position} + delete {delete} exceeds length {length} (characters)"
    )]
    NotesRange {
        /// Where the edit starts, in Unicode scalar values.
        position: usize,
        /// How many characters it deletes.
        delete: usize,
        /// The current length of the notes, in Unicode scalar values.
        length: usize,
    },
    /// A notes edit was made against a text of another length than the stored one: an earlier edit is missing
    /// or arrived after it. Nothing was changed; the app shows the stored notes again.
    #[error("notes edit made against {expected} characters, but the notes have {found} (stale_edit)")]
    StaleEdit {
        /// The length (Unicode scalar values) of the text the edit was made against.
        expected: usize,
        /// The stored notes' length.
        found: usize,
    },
    /// A comment text was refused (empty, or longer than 2,000 characters); `.0.ja()` is the Japanese message.
    #[error("{} ({})", .0.en(), .0.code())]
    Comment(super::CommentProblem),
    /// Bytes given to merge or load are not an automerge visit document.
    #[error("not a visit document: {0}")]
    BadDocument(String),
    /// The document to merge belongs to another visit.
    #[error("the document is visit {found}, not {expected}")]
    WrongVisit {
        /// The visit the caller named.
        expected: VisitId,
        /// The visit the document holds.
        found: VisitId,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for VisitError {
    fn from(err: rusqlite::Error) -> VisitError {
        VisitError::Store(err.into())
    }
}

impl From<automerge::AutomergeError> for VisitError {
    fn from(err: automerge::AutomergeError) -> VisitError {
        VisitError::BadDocument(err.to_string())
    }
}
