//! The one public error of the FFI, mapped from the core's errors in one place, and the panic guard.
//!
//! Messages carry codes, JSON pointers, ids and counts — never a doctor's name or note text (a JSON error's
//! free-text reason can quote the input, so it is dropped here).

use std::panic::{catch_unwind, AssertUnwindSafe};

use mrc_core::{
    content::ContentError,
    master::ImportError,
    sync::{AuthRefusal, SyncError, SyncFailureKind, TransportError},
    validate::{Finding, Severity},
    visit::VisitError,
    StoreError,
};

/// What went wrong, in a form an app can act on.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum MrcError {
    /// The input is refused: `field` is a JSON pointer (`/started_at`), `code` a stable code (`required`,
    /// `invalid_value`, `bad_id`, …). A refused submission or amendment lists all `findings`.
    #[error("refused at {field}: {code}")]
    Validation {
        field: String,
        code: String,
        findings: Vec<Finding>,
    },
    /// No such record (`what` is `visit`).
    #[error("no {what} with id {id}")]
    NotFound { what: String, id: String },
    /// The operation conflicts with the stored state: `duplicate`, `edit_after_submit` (a submitted visit changes
    /// only through an amendment), `wrong_visit`.
    #[error("conflict: {code}")]
    Conflict { code: String, id: String },
    /// The database failed (`sqlite`, `io`, `too_new`, `inconsistent`, `wiped`, `in_use`: the store is open
    /// elsewhere, close it before `rekey_store`). Retrying may help for `sqlite`.
    #[error("storage error ({code}): {reason}")]
    Storage { code: String, reason: String },
    /// The key does not open this store (a wrong key, or none for an encrypted store). The file was left exactly
    /// as it was: ask the Keystore/Keychain again, never delete the store for this.
    #[error("the key does not open this store")]
    WrongKey,
    /// A sync or a download did not get through. `kind` says what to do: `Offline` (no answer; `status` 0) and
    /// `Server` (5xx, 429): sync again later; `Forbidden` (403): retrying will not help; `Protocol` (an answer
    /// that is not this protocol, or another 4xx): update the app or the server. A 401 is `Unauthorized`. Nothing
    /// local is lost.
    #[error("network error ({kind:?}, status {status})")]
    Network {
        kind: SyncFailureKind,
        status: u16,
        reason: String,
    },
    /// The server refused this device's token (401). On `Revoked` (a lost or stolen device) call `wipe()`; on
    /// `Expired` ask for a new token. Nothing local was changed by the refused sync.
    #[error("the server refused this device's token ({reason:?})")]
    Unauthorized { reason: AuthRefusal },
    /// A bug in the core (a panic, a poisoned lock). The operation did not complete; reopen the store.
    #[error("internal error: {reason}")]
    Internal { reason: String },
}

/// Runs `f`, turning a panic into [`MrcError::Internal`]: nothing unwinds into Kotlin or Swift.
pub(crate) fn guard<T>(f: impl FnOnce() -> Result<T, MrcError>) -> Result<T, MrcError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(MrcError::Internal {
            reason: "the core failed unexpectedly; the operation was not completed".into(),
        })
    })
}

/// An id string from the app that is not a UUID.
pub(crate) fn bad_id(field: &str) -> MrcError {
    MrcError::Validation {
        field: field.into(),
        code: "bad_id".into(),
        findings: Vec::new(),
    }
}

impl From<StoreError> for MrcError {
    fn from(err: StoreError) -> MrcError {
        let (code, reason) = match &err {
            StoreError::Sqlite(e) => ("sqlite", e.to_string()),
            StoreError::Io { source, .. } => ("io", source.to_string()),
            StoreError::TooNew { .. } => ("too_new", err.to_string()),
            StoreError::Inconsistent(_) => ("inconsistent", "stored data is inconsistent".to_owned()),
            StoreError::Wiped => ("wiped", err.to_string()),
            StoreError::InUse => ("in_use", err.to_string()),
            StoreError::WrongKey => return MrcError::WrongKey,
            StoreError::InvalidKey(_) => {
                return MrcError::Validation {
                    field: "/key".into(),
                    code: "invalid_key".into(),
                    findings: Vec::new(),
                }
            }
            StoreError::Poisoned => {
                return MrcError::Internal {
                    reason: err.to_string(),
                }
            }
        };
        MrcError::Storage {
            code: code.into(),
            reason,
        }
    }
}

impl From<VisitError> for MrcError {
    fn from(err: VisitError) -> MrcError {
        let validation = |field: &str, code: &str, findings: Vec<Finding>| MrcError::Validation {
            field: field.into(),
            code: code.into(),
            findings,
        };
        let conflict = |code: &str, id: String| MrcError::Conflict {
            code: code.into(),
            id,
        };
        match err {
            VisitError::NotFound(id) => MrcError::NotFound {
                what: "visit".into(),
                id: id.to_string(),
            },
            VisitError::Duplicate(id) => conflict("duplicate", id.to_string()),
            VisitError::Locked(id) => conflict("edit_after_submit", id.to_string()),
            VisitError::WrongVisit { expected, .. } => conflict("wrong_visit", expected.to_string()),
            VisitError::ReasonRequired => validation("/amendment_reason", "edit_after_submit", Vec::new()),
            VisitError::Rejected(report) => {
                let first = report.findings.iter().find(|f| f.severity == Severity::Error);
                let (field, code) = first
                    .map(|f| (f.field.clone(), f.code.as_str().to_owned()))
                    .unwrap_or_default();
                validation(&field, &code, report.findings)
            }
            VisitError::Invalid(json) => validation(&json.path, "invalid_value", Vec::new()),
            VisitError::NotesRange { .. } => validation("/notes", "notes_range", Vec::new()),
            VisitError::StaleEdit { .. } => validation("/notes", "stale_edit", Vec::new()),
            VisitError::Comment(problem) => validation("/text", problem.code(), Vec::new()),
            VisitError::BadDocument(_) => validation("", "bad_document", Vec::new()),
            VisitError::Store(store) => store.into(),
        }
    }
}

impl From<ImportError> for MrcError {
    fn from(err: ImportError) -> MrcError {
        match err {
            ImportError::Invalid(json) => MrcError::Validation {
                field: json.path,
                code: "invalid_value".into(),
                findings: Vec::new(),
            },
            ImportError::Store(store) => store.into(),
        }
    }
}

impl From<SyncError> for MrcError {
    fn from(err: SyncError) -> MrcError {
        // Reasons are bounded: a transport or server message is not supposed to hold personal data, but it is
        // never allowed to grow without limit either. Wire and protocol errors keep only their kind.
        let bounded = |text: String| text.chars().take(200).collect::<String>();
        let kind = err.kind();
        match err {
            SyncError::Unauthorized(reason) => MrcError::Unauthorized { reason },
            SyncError::Transport(TransportError::Network(reason)) => MrcError::Network {
                kind,
                status: 0,
                reason: bounded(reason),
            },
            SyncError::Transport(TransportError::Status { status, message }) => MrcError::Network {
                kind,
                status,
                reason: bounded(message),
            },
            SyncError::Wire(_) => MrcError::Network {
                kind,
                status: 0,
                reason: "the server's answer is not a valid sync message".into(),
            },
            SyncError::Protocol(_) => MrcError::Network {
                kind,
                status: 0,
                reason: "the server's answer does not match the request".into(),
            },
            SyncError::Visit(visit) => visit.into(),
            SyncError::Master(master) => master.into(),
            SyncError::Store(store) => store.into(),
        }
    }
}

impl From<ContentError> for MrcError {
    fn from(err: ContentError) -> MrcError {
        match err {
            ContentError::Transport(transport) => SyncError::Transport(transport).into(),
            // The path is the app's own directory; the reason is the OS's (no personal data in either).
            ContentError::Io { source, .. } => MrcError::Storage {
                code: "io".into(),
                reason: source.to_string(),
            },
            ContentError::NotUtf8(_) => MrcError::Validation {
                field: "dir".into(),
                code: "invalid_value".into(),
                findings: Vec::new(),
            },
            ContentError::Store(store) => store.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use mrc_core::{json_path::JsonError, VisitId};

    use super::*;

    #[test]
    fn a_panic_becomes_internal() {
        let result: Result<(), MrcError> = guard(|| panic!("患者 山田 太郎"));
        match result {
            Err(MrcError::Internal { reason }) => assert!(!reason.contains("山田")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn json_reasons_are_dropped_and_paths_kept() {
        let err: MrcError = ImportError::Invalid(JsonError::at(
            "/hcps/0/name",
            "invalid type: string \"山田 太郎\"",
        ))
        .into();
        assert!(!err.to_string().contains("山田"));
        assert!(matches!(err, MrcError::Validation { ref field, .. } if field == "/hcps/0/name"));
    }

    #[test]
    fn sync_errors_map_to_network_with_the_kind_and_status() {
        assert!(matches!(
            MrcError::from(SyncError::Transport(TransportError::Network("timeout".into()))),
            MrcError::Network {
                kind: SyncFailureKind::Offline,
                status: 0,
                ..
            }
        ));
        assert!(matches!(
            MrcError::from(SyncError::from(TransportError::Status {
                status: 401,
                message: "revoked: the device token was revoked".into()
            })),
            MrcError::Unauthorized {
                reason: AuthRefusal::Revoked
            }
        ));
        assert!(matches!(
            MrcError::from(SyncError::from(TransportError::Status {
                status: 403,
                message: "not yours".into()
            })),
            MrcError::Network {
                kind: SyncFailureKind::Forbidden,
                status: 403,
                ..
            }
        ));
        assert!(matches!(
            MrcError::from(SyncError::from(TransportError::Status {
                status: 503,
                message: "メンテナンス中".into()
            })),
            MrcError::Network {
                kind: SyncFailureKind::Server,
                status: 503,
                ..
            }
        ));
        assert!(matches!(
            MrcError::from(SyncError::Protocol("山田".into())),
            MrcError::Network { kind: SyncFailureKind::Protocol, reason, .. } if !reason.contains("山田")
        ));
    }

    #[test]
    fn visit_errors_map_to_what_an_app_acts_on() {
        let id = VisitId::new_v7();
        assert!(matches!(
            MrcError::from(VisitError::NotFound(id)),
            MrcError::NotFound { .. }
        ));
        assert!(
            matches!(MrcError::from(VisitError::Locked(id)), MrcError::Conflict { code, .. } if code == "edit_after_submit")
        );
        assert!(matches!(
            MrcError::from(VisitError::Store(StoreError::Poisoned)),
            MrcError::Internal { .. }
        ));
    }
}
