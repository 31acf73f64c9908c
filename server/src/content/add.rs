//! `mrc admin content add`: a material version's file, checked against the imported master data, then stored.

use mrc_core::master::MasterData;

use super::{ContentError, ContentHash, VerifiedContent};
use crate::{
    store::{transact, Access, JsonDoc},
    ServerError, ServerStore,
};

/// What was stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddedContent {
    pub sha256: String,
    pub size: u64,
    /// False when the same bytes were already stored (adding is idempotent).
    pub new: bool,
}

/// Stores `bytes` as the file of material `id` version `version`: the master data must list that version with
/// this SHA-256 and size. `now_ms` stamps the stored file.
pub fn add_material_content(
    store: &dyn ServerStore,
    id: &str,
    version: u32,
    bytes: Vec<u8>,
    now_ms: i64,
) -> Result<AddedContent, ContentError> {
    let master = transact(store, Access::Read, |tx| Ok(tx.json_doc(JsonDoc::Master)?))?
        .ok_or(ContentError::NoMasterData)?;
    let master: MasterData = serde_json::from_str(&master.json)
        .map_err(|e| ServerError::Internal(format!("the stored master data is unreadable: {e}")))?;
    let material = master
        .materials
        .iter()
        .find(|m| m.id == id && m.version == version)
        .ok_or_else(|| ContentError::UnknownMaterial {
            id: id.to_owned(),
            version,
        })?;
    let expected = ContentHash::parse(&material.sha256)
        .ok_or_else(|| ServerError::Internal("the stored master data has a malformed sha256".into()))?;
    let actual_size = bytes.len() as u64;
    let content = VerifiedContent::expect(expected, bytes)?;
    if actual_size != material.size {
        return Err(ContentError::SizeMismatch {
            expected: material.size,
            actual: actual_size,
        });
    }
    let new = transact(store, Access::Write, |tx| Ok(tx.put_content(&content, now_ms)?))?;
    Ok(AddedContent {
        sha256: content.hash().to_string(),
        size: content.size(),
        new,
    })
}
