//! `mrc admin content prune`: delete stored files the master data no longer vouches for. A file is kept while
//! some material version lists it as approved and not yet expired (superseded versions included: a device with
//! older master data may still fetch them); withdrawn and expired versions' files go unless another kept version
//! has the same bytes.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use mrc_core::master::{MasterData, MaterialStatus};

use super::{ContentError, ContentHash};
use crate::{
    store::{transact, Access, JsonDoc},
    ServerError, ServerStore,
};

/// What a prune removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pruned {
    pub files: u64,
    pub bytes: u64,
    /// Files still stored.
    pub kept: u64,
}

/// Deletes every stored file that no approved material version valid on `today` or later references.
pub fn prune_content(store: &dyn ServerStore, today: NaiveDate) -> Result<Pruned, ContentError> {
    let master = transact(store, Access::Read, |tx| Ok(tx.json_doc(JsonDoc::Master)?))?
        .ok_or(ContentError::NoMasterData)?;
    let master: MasterData = serde_json::from_str(&master.json)
        .map_err(|e| ServerError::Internal(format!("the stored master data is unreadable: {e}")))?;
    let keep: BTreeSet<ContentHash> = master
        .materials
        .iter()
        .filter(|m| m.status == MaterialStatus::Approved && m.valid_until >= today)
        .filter_map(|m| ContentHash::parse(&m.sha256))
        .collect();
    Ok(transact(store, Access::Write, |tx| {
        let mut pruned = Pruned::default();
        for (hash, size) in tx.content_list()? {
            if keep.contains(&hash) {
                pruned.kept += 1;
            } else if tx.delete_content(&hash)? {
                pruned.files += 1;
                pruned.bytes += size;
            }
        }
        Ok(pruned)
    })?)
}
