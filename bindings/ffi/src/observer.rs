//! The callback interface through which the app hears about visit changes (Kotlin `Flow`, Swift `AsyncStream`).

use mrc_core::VisitId;

/// What happened to a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ChangeKind {
    Created,
    Updated,
    NotesEdited,
    Submitted,
    Amended,
    Merged,
    /// Changed by a sync: another device's edit, a manager's comment, a visit new to this device.
    Synced,
}

/// One change, reported after its transaction committed.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct VisitChange {
    pub id: VisitId,
    pub kind: ChangeKind,
}

/// Implemented in Kotlin or Swift; called on the thread that made the change, after the commit, with no lock held.
/// Implementations must return quickly and must not throw (hand the change to a channel or a queue).
#[uniffi::export(with_foreign)]
pub trait VisitObserver: Send + Sync {
    fn visit_changed(&self, change: VisitChange);
}
