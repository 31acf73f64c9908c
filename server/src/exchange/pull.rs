//! `POST /v1/pull`: the changes of wanted visits after the device's heads, in pages.

use mrc_core::sync::wire::{DocData, PullRequest, PullResponse};

use super::{check_pull, from_wire, to_wire};
use crate::{
    docs::{id_text, load_stored},
    store::{transact, Access},
    DocCache, Principal, ServerError, ServerStore,
};

/// A page holds at most this many visits.
pub const PAGE_MAX_DOCS: usize = 200;
/// A page stops before its body would exceed this many bytes (a single larger visit still goes alone).
pub const PAGE_MAX_BYTES: usize = 1024 * 1024;
/// CBOR framing of one entry beyond its changes and heads (id, keys, lengths), rounded up.
const ENTRY_OVERHEAD: usize = 48;

/// Answers a pull for `principal`: wanted visits in scope, unknown ones skipped; any visit outside the scope
/// refuses the whole request (403). Loads every visit it sends from its chunks; [`pull_cached`] keeps them.
pub fn pull(
    store: &dyn ServerStore,
    principal: &Principal,
    request: &PullRequest,
) -> Result<PullResponse, ServerError> {
    pull_cached(store, &DocCache::new(0), principal, request)
}

/// [`pull`], taking visits from `cache` when it holds them at their stored heads (another device of the team just
/// pulled or pushed them), and putting them back afterwards: a team's new devices do not load a visit each.
pub fn pull_cached(
    store: &dyn ServerStore,
    cache: &DocCache,
    principal: &Principal,
    request: &PullRequest,
) -> Result<PullResponse, ServerError> {
    check_pull(request)?;
    let mut loaded = Vec::new();
    let response = transact(store, Access::Read, |tx| {
        // A retried transaction starts over: what an earlier attempt loaded goes back first.
        for (id, heads, doc) in loaded.drain(..) {
            cache.put(id, heads, doc);
        }
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
                let mut doc = match cache.take(&want.id, &meta.heads) {
                    Some(doc) => doc,
                    None => load_stored(&want.id, &tx.doc_chunks(&want.id)?)?,
                };
                let changes = doc.save_after(&have);
                loaded.push((want.id, meta.heads.clone(), doc));
                (changes, meta.heads)
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
    });
    // Read-only: every document taken or loaded is the stored one at the heads it goes back with.
    for (id, heads, doc) in loaded {
        cache.put(id, heads, doc);
    }
    response
}
