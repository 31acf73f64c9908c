//! `POST /v1/pull`: the changes of wanted visits after the device's heads, in pages.

use mrc_core::sync::wire::{DocData, PullRequest, PullResponse};

use super::{check_pull, from_wire, to_wire};
use crate::{
    docs::{id_text, load_stored},
    store::{transact, Access},
    Principal, ServerError, ServerStore,
};

/// A page holds at most this many visits.
pub const PAGE_MAX_DOCS: usize = 200;
/// A page stops before its body would exceed this many bytes (a single larger visit still goes alone).
pub const PAGE_MAX_BYTES: usize = 1024 * 1024;
/// CBOR framing of one entry beyond its changes and heads (id, keys, lengths), rounded up.
const ENTRY_OVERHEAD: usize = 48;

/// Answers a pull for `principal`: wanted visits in scope, unknown ones skipped; any visit outside the scope
/// refuses the whole request (403).
pub fn pull(
    store: &dyn ServerStore,
    principal: &Principal,
    request: &PullRequest,
) -> Result<PullResponse, ServerError> {
    check_pull(request)?;
    transact(store, Access::Read, |tx| {
        // Scope first: a refused request reads no document.
        let mut metas = Vec::with_capacity(request.want.len());
        for want in &request.want {
            let meta = tx.doc_meta(&want.id)?;
            if let Some(meta) = &meta {
                if !principal.can_read(&meta.owner) {
                    return Err(ServerError::Forbidden(format!(
                        "visit {} is outside this token's scope",
                        id_text(&want.id)
                    )));
                }
            }
            metas.push(meta);
        }
        let mut docs = Vec::new();
        let mut size = 0usize;
        for (want, meta) in request.want.iter().zip(metas) {
            let Some(meta) = meta else { continue };
            if docs.len() >= PAGE_MAX_DOCS {
                break;
            }
            let have = from_wire(&want.have);
            let (changes, heads) = if have == meta.heads {
                (Vec::new(), meta.heads)
            } else {
                let stored = tx
                    .read_doc(&want.id)?
                    .ok_or_else(|| ServerError::Internal("a visit vanished inside one snapshot".into()))?;
                let mut doc = load_stored(&want.id, &stored.chunks)?;
                (doc.save_after(&have), doc.head_hashes())
            };
            let entry = changes.len() + 32 * heads.len() + ENTRY_OVERHEAD;
            if !docs.is_empty() && size + entry > PAGE_MAX_BYTES {
                break;
            }
            size += entry;
            docs.push(DocData {
                id: want.id,
                changes,
                heads: to_wire(&heads),
            });
        }
        Ok(PullResponse {
            // Answer in the version asked (a v1 device reads only v1 bodies).
            v: request.v,
            docs,
        })
    })
}
