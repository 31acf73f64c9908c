//! The CLI's error: one sentence for stderr and the exit code it maps to.

use mrc_core::{master::ImportError, sync::SyncFailureKind, visit::VisitError, StoreError};
use mrc_sample::SeedError;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The command line itself is wrong (exit 2).
    #[error("{0}")]
    Usage(String),
    /// The input was refused: malformed file, unknown id, rule broken (exit 1).
    #[error("{0}")]
    Refused(String),
    /// The store or the file system failed (exit 1).
    #[error("{0}")]
    Failed(String),
    /// A sync or a material download stopped: the exit code tells the kind (see [`CliError::exit_code`]).
    #[error("{message}")]
    Sync { kind: SyncFailureKind, message: String },
    /// The command already printed its answer; only the exit code remains (e.g. validation found errors).
    #[error("")]
    Silent(u8),
}

impl CliError {
    /// The process exit code for this error: 2 for the command line, 1 for refused input or a local failure, and
    /// for a sync that stopped on the way 3 offline, 4 unauthorized (401), 5 forbidden (403), 6 the server failed,
    /// 7 protocol.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Refused(_) | CliError::Failed(_) => 1,
            CliError::Sync { kind, .. } => match kind {
                SyncFailureKind::Local => 1,
                SyncFailureKind::Offline => 3,
                SyncFailureKind::Unauthorized => 4,
                SyncFailureKind::Forbidden => 5,
                SyncFailureKind::Server => 6,
                SyncFailureKind::Protocol => 7,
            },
            CliError::Silent(code) => *code,
        }
    }

    /// A file could not be read or written.
    pub fn file(path: &std::path::Path, err: std::io::Error) -> CliError {
        CliError::Failed(format!("cannot access {}: {err}", path.display()))
    }
}

impl From<StoreError> for CliError {
    fn from(err: StoreError) -> CliError {
        match err {
            StoreError::WrongKey => CliError::Refused(format!(
                "鍵が合わないため開けません (ファイルは変更していません): {err}; give the store's key with \
                 --key-file or MRC_DB_KEY"
            )),
            StoreError::InvalidKey(_) => CliError::Usage(err.to_string()),
            other => CliError::Failed(other.to_string()),
        }
    }
}

impl From<ImportError> for CliError {
    fn from(err: ImportError) -> CliError {
        match err {
            ImportError::Invalid(_) => CliError::Refused(err.to_string()),
            ImportError::Store(err) => err.into(),
        }
    }
}

impl From<VisitError> for CliError {
    fn from(err: VisitError) -> CliError {
        match err {
            VisitError::Store(err) => err.into(),
            VisitError::Rejected(report) => {
                let lines: Vec<String> = report
                    .findings
                    .iter()
                    .filter(|f| f.severity == mrc_core::validate::Severity::Error)
                    .map(|f| format!("{} {} ({})", f.code.as_str(), f.field, f.message_en))
                    .collect();
                CliError::Refused(format!("the visit has errors: {}", lines.join("; ")))
            }
            VisitError::Comment(problem) => {
                CliError::Refused(format!("{} {} ({})", problem.ja(), problem.en(), problem.code()))
            }
            other => CliError::Refused(other.to_string()),
        }
    }
}

impl From<SeedError> for CliError {
    fn from(err: SeedError) -> CliError {
        match err {
            SeedError::Import(err) => err.into(),
            SeedError::Visit(err) => err.into(),
        }
    }
}
