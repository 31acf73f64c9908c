//! The writer's cache of recently edited visit documents, so a keystroke does not reload a document.

use std::collections::{HashMap, VecDeque};

use super::VisitDoc;
use crate::ids::VisitId;

/// How many documents stay loaded.
const CAPACITY: usize = 32;

/// A document in the cache, with how many chunks its stored form has.
pub(crate) struct CachedDoc {
    pub(crate) doc: VisitDoc,
    pub(crate) chunks: i64,
}

/// Least-recently-inserted eviction over at most [`CAPACITY`] documents. Owned by the writer connection and
/// cleared whenever a write transaction does not commit.
#[derive(Default)]
pub(crate) struct DocCache {
    docs: HashMap<VisitId, CachedDoc>,
    order: VecDeque<VisitId>,
}

impl DocCache {
    pub(crate) fn get_mut(&mut self, id: &VisitId) -> Option<&mut CachedDoc> {
        self.docs.get_mut(id)
    }

    pub(crate) fn insert(&mut self, id: VisitId, entry: CachedDoc) -> &mut CachedDoc {
        if !self.docs.contains_key(&id) {
            if self.order.len() >= CAPACITY {
                if let Some(oldest) = self.order.pop_front() {
                    self.docs.remove(&oldest);
                }
            }
            self.order.push_back(id);
        }
        self.docs.entry(id).insert_entry(entry).into_mut()
    }

    pub(crate) fn clear(&mut self) {
        self.docs.clear();
        self.order.clear();
    }
}
