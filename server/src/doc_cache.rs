//! Loaded visit documents kept between requests, so a push to a visit the server just wrote does not reload it
//! from its chunks. An entry is used only when its heads equal the stored heads the merge read (heads name the
//! whole history, so the document is the stored one; a merge made on a snapshot is written only if the row is
//! still the same under the lock, `exchange::sync`); it is taken out while a request works on
//! it and put back only after that request committed, so a refused or retried transaction never leaves a
//! document in the cache that the database does not hold.

use std::{collections::HashMap, sync::Mutex};

use mrc_core::{sync::wire::DocId, visit::VisitDoc};

/// How many documents a server process keeps by default (a visit document is a few KB).
pub const DEFAULT_CAPACITY: usize = 4096;

/// A bounded map from visit id to its last committed document.
pub struct DocCache {
    capacity: usize,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    docs: HashMap<DocId, Entry>,
    tick: u64,
}

struct Entry {
    heads: Vec<[u8; 32]>,
    doc: VisitDoc,
    used: u64,
}

impl DocCache {
    /// A cache of at most `capacity` documents (0 keeps nothing).
    pub fn new(capacity: usize) -> DocCache {
        DocCache {
            capacity,
            inner: Mutex::new(Inner::default()),
        }
    }

    /// Takes the document of `id` out of the cache if it is the one with `heads`.
    pub(crate) fn take(&self, id: &DocId, heads: &[[u8; 32]]) -> Option<VisitDoc> {
        let mut inner = self.inner.lock().ok()?;
        let entry = inner.docs.remove(id)?;
        (entry.heads == heads).then_some(entry.doc)
    }

    /// Puts back a committed document with its heads, evicting the least recently used one when full.
    pub(crate) fn put(&self, id: DocId, heads: Vec<[u8; 32]>, doc: VisitDoc) {
        if self.capacity == 0 {
            return;
        }
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        inner.tick += 1;
        let used = inner.tick;
        inner.docs.insert(id, Entry { heads, doc, used });
        if inner.docs.len() > self.capacity {
            let oldest = inner.docs.iter().min_by_key(|(_, e)| e.used).map(|(id, _)| *id);
            if let Some(oldest) = oldest {
                inner.docs.remove(&oldest);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mrc_core::{visit::VisitFields, VisitId};

    fn doc() -> VisitDoc {
        let fields = VisitFields {
            rep_id: Some("R1".into()),
            ..VisitFields::default()
        };
        VisitDoc::create(
            automerge::ActorId::random(),
            VisitId::new_v7(),
            &fields,
            chrono::Utc::now(),
        )
        .unwrap()
    }

    #[test]
    fn a_document_is_used_only_with_its_heads_and_only_once() {
        let cache = DocCache::new(2);
        let mut d = doc();
        let heads = d.head_hashes();
        cache.put([1; 16], heads.clone(), d);
        assert!(
            cache.take(&[1; 16], &[[9; 32]]).is_none(),
            "other heads: not used"
        );
        assert!(cache.take(&[1; 16], &heads).is_none(), "a mismatch dropped it");
        let mut d = doc();
        let heads = d.head_hashes();
        cache.put([1; 16], heads.clone(), d);
        assert!(cache.take(&[1; 16], &heads).is_some());
        assert!(cache.take(&[1; 16], &heads).is_none(), "taken out while in use");
    }

    #[test]
    fn the_least_recently_put_document_is_evicted() {
        let cache = DocCache::new(2);
        let mut docs: Vec<_> = (0..3).map(|_| doc()).collect();
        let heads: Vec<_> = docs.iter_mut().map(VisitDoc::head_hashes).collect();
        for (i, d) in docs.into_iter().enumerate() {
            cache.put([i as u8; 16], heads[i].clone(), d);
        }
        assert!(cache.take(&[0; 16], &heads[0]).is_none());
        assert!(cache.take(&[2; 16], &heads[2]).is_some());
        assert!(DocCache::new(0).take(&[0; 16], &heads[0]).is_none());
    }
}
