//! Visit documents on the server: loading stored chunks, reading pushed changes, and how a change is stored.

use automerge::{ActorId, AutoCommit, LoadOptions, OnPartialLoad, TextEncoding};
use mrc_core::{sync::wire::DocId, visit::VisitDoc, VisitId};

use crate::{
    store::{DocMeta, DocWrite},
    ServerError,
};

/// After this many chunks a document is rewritten as one snapshot (the device does the same, ADR 0002).
pub(crate) const COMPACT_AFTER: u32 = 32;

/// The server never writes changes of its own; this actor only satisfies the loader.
fn server_actor() -> ActorId {
    ActorId::from(b"mrc-server".as_slice())
}

/// The visit id as text, for messages (visit ids are not personal data).
pub(crate) fn id_text(id: &DocId) -> String {
    VisitId::from_slice(id).map_or_else(|_| "(bad id)".into(), |id| id.to_string())
}

/// Loads a stored document from its chunks.
pub(crate) fn load_stored(id: &DocId, chunks: &[Vec<u8>]) -> Result<VisitDoc, ServerError> {
    let bytes = chunks.concat();
    VisitDoc::load(&bytes, server_actor())
        .map_err(|err| ServerError::Internal(format!("stored visit {} does not load: {err}", id_text(id))))
}

/// Reads the pushed changes of a visit the server does not have. `None` when they do not make a whole
/// document (they build on changes the server lacks, or are empty): the device must send everything.
pub(crate) fn load_pushed(id: &DocId, changes: &[u8]) -> Result<Option<VisitDoc>, ServerError> {
    if changes.is_empty() {
        return Ok(None);
    }
    let options = LoadOptions::new()
        .text_encoding(TextEncoding::UnicodeCodePoint)
        .on_partial_load(OnPartialLoad::Ignore);
    let mut probe = AutoCommit::load_with_options(changes, options).map_err(|_| not_automerge(id))?;
    if !probe.get_missing_deps(&[]).is_empty() {
        return Ok(None);
    }
    VisitDoc::load(changes, server_actor()).map(Some).map_err(|err| {
        ServerError::BadRequest(format!("visit {} is not a visit document: {err}", id_text(id)))
    })
}

/// The error for bytes that are not automerge data.
pub(crate) fn not_automerge(id: &DocId) -> ServerError {
    ServerError::BadRequest(format!(
        "the changes of visit {} are not automerge data",
        id_text(id)
    ))
}

/// What to write for a document whose heads moved from `old` (with `chunk_count` chunks; 0 = new). `increment`,
/// when given, holds exactly the changes after `old` (pushed on those heads), so it is stored as it came.
pub(crate) fn plan_write(
    doc: &mut VisitDoc,
    old_heads: &[[u8; 32]],
    chunk_count: u32,
    increment: Option<&[u8]>,
) -> (u32, Vec<u8>, Kind) {
    if chunk_count == 0 {
        (1, doc.save(), Kind::Create)
    } else if chunk_count + 1 >= COMPACT_AFTER {
        (1, doc.save(), Kind::Compact)
    } else {
        let bytes = increment.map_or_else(|| doc.save_after(old_heads), <[u8]>::to_vec);
        (chunk_count + 1, bytes, Kind::Append)
    }
}

/// Which [`DocWrite`] a planned write is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Create,
    Append,
    Compact,
}

/// A document write decided while merging, performed once every document of the request is merged.
pub(crate) struct PendingWrite {
    pub id: DocId,
    pub owner: String,
    pub heads: Vec<[u8; 32]>,
    pub chunk_count: u32,
    pub bytes: Vec<u8>,
    pub kind: Kind,
}

impl PendingWrite {
    /// The row to store with sequence number `seq`.
    pub fn meta(&self, seq: u64) -> DocMeta {
        DocMeta {
            owner: self.owner.clone(),
            seq,
            heads: self.heads.clone(),
            chunk_count: self.chunk_count,
        }
    }

    /// The bytes to store.
    pub fn write(&self) -> DocWrite<'_> {
        match self.kind {
            Kind::Create => DocWrite::Create(&self.bytes),
            Kind::Append => DocWrite::Append(&self.bytes),
            Kind::Compact => DocWrite::Compact(&self.bytes),
        }
    }
}
