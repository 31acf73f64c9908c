//! Why content was refused or could not be stored.

use crate::ServerError;

/// Why `mrc admin content add` (or a store call with content) failed. Nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    /// No master data has been imported, so no material version can be checked.
    #[error("no master data has been imported yet; run `mrc admin import` first")]
    NoMasterData,
    /// The imported master data has no such material version.
    #[error("material {id:?} version {version} is not in the imported master data")]
    UnknownMaterial { id: String, version: u32 },
    /// The bytes do not hash to what was expected.
    #[error("the file's SHA-256 is {actual}, but {expected} was expected")]
    HashMismatch { expected: String, actual: String },
    /// The file's size differs from the material's `size`.
    #[error("the file has {actual} bytes, but the material says {expected}")]
    SizeMismatch { expected: u64, actual: u64 },
    /// The store failed, or its master data is unreadable.
    #[error(transparent)]
    Server(#[from] ServerError),
}
