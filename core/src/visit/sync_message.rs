//! Automerge's own sync messages for one visit document: the fallback when the device and the server no longer
//! know which changes they share (a restored server, a device restored from a backup). Each side keeps an
//! `automerge::sync::State` for the exchange; the server's is fresh on every request, so it stays stateless.

use std::panic::{catch_unwind, AssertUnwindSafe};

use automerge::sync::{self, SyncDoc};

use super::{VisitDoc, VisitError};

/// The most probes a peer's Bloom filter may ask for (automerge uses 7); more would only cost time and memory.
const MAX_PROBES: u64 = 64;

fn refused(why: impl std::fmt::Display) -> VisitError {
    VisitError::BadDocument(format!("sync message: {why}"))
}

/// Reads one unsigned LEB128 number.
fn leb128(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let mut value = 0u64;
    for (i, byte) in bytes.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((value, bytes.get(i + 1..)?));
        }
    }
    None
}

/// Refuses Bloom filters automerge 0.12 would divide by zero on (entries but no bits) or allocate without bound
/// for (a huge probe count) — both found by the `sync_bodies` fuzz target.
fn check_filters(message: &sync::Message) -> Result<(), VisitError> {
    for have in &message.have {
        let bytes = have.bloom.to_bytes();
        if bytes.is_empty() {
            continue;
        }
        let (entries, rest) = leb128(&bytes).ok_or_else(|| refused("a malformed filter"))?;
        let (_bits_per_entry, rest) = leb128(rest).ok_or_else(|| refused("a malformed filter"))?;
        let (probes, bits) = leb128(rest).ok_or_else(|| refused("a malformed filter"))?;
        if entries > 0 && (bits.is_empty() || probes == 0 || probes > MAX_PROBES) {
            return Err(refused(
                "a Bloom filter with no bits or an unusable number of probes",
            ));
        }
    }
    Ok(())
}

impl VisitDoc {
    /// The next message to a peer whose state is `state`, encoded; `None` when there is nothing left to say.
    pub fn generate_sync_message(&mut self, state: &mut sync::State) -> Option<Vec<u8>> {
        // Built from what the peer sent (its filters and needs): a panic there ends the exchange, never the process.
        catch_unwind(AssertUnwindSafe(|| self.doc.sync().generate_sync_message(state)))
            .ok()
            .flatten()
            .map(sync::Message::encode)
    }

    /// Applies a peer's encoded message (its heads, what it has, and the changes it thinks this side lacks).
    /// Returns whether the document changed.
    pub fn receive_sync_message(
        &mut self,
        state: &mut sync::State,
        bytes: &[u8],
    ) -> Result<bool, VisitError> {
        let message = sync::Message::decode(bytes).map_err(refused)?;
        check_filters(&message)?;
        let before = self.doc.get_heads();
        // A peer's bytes must never take the process down: a panic inside automerge is a refused message.
        catch_unwind(AssertUnwindSafe(|| {
            self.doc.sync().receive_sync_message(state, message)
        }))
        .map_err(|_| refused("automerge could not apply it"))??;
        Ok(self.doc.get_heads() != before)
    }
}

#[cfg(test)]
mod tests {
    use automerge::ActorId;
    use chrono::Utc;

    use super::*;
    use crate::visit::VisitFields;

    /// The fixed time these documents are written at (no test here is about the clock).
    fn now() -> chrono::DateTime<Utc> {
        chrono::DateTime::parse_from_rfc3339("2026-11-20T10:00:00+09:00")
            .unwrap()
            .to_utc()
    }

    fn fields(notes: &str) -> VisitFields {
        VisitFields {
            rep_id: Some("REP-001".into()),
            notes: notes.into(),
            ..VisitFields::default()
        }
    }

    /// Runs the exchange the way the sync protocol does: the device keeps its state, the server starts afresh on
    /// every request. Returns the number of requests.
    fn exchange(device: &mut VisitDoc, server: &mut VisitDoc) -> usize {
        let mut mine = sync::State::new();
        for round in 1..=8 {
            let Some(out) = device.generate_sync_message(&mut mine) else {
                return round - 1;
            };
            let mut fresh = sync::State::new();
            server.receive_sync_message(&mut fresh, &out).unwrap();
            if let Some(back) = server.generate_sync_message(&mut fresh) {
                device.receive_sync_message(&mut mine, &back).unwrap();
            }
        }
        panic!("no convergence in 8 requests");
    }

    #[test]
    fn replicas_with_unknown_shared_state_converge_in_a_few_requests() {
        let now = now();
        let mut device = VisitDoc::create(
            ActorId::random(),
            crate::VisitId::new_v7(),
            &fields("佐藤先生は新しいデータに関心。"),
            now,
        )
        .unwrap();
        let mut server = VisitDoc::load(&device.save(), ActorId::random()).unwrap();
        device.splice_notes(0, 0, "【再訪】").unwrap();
        device.commit(now);
        server
            .splice_notes(server.notes().unwrap().chars().count(), 0, "次回は用量を説明。")
            .unwrap();
        server.commit(now);
        let requests = exchange(&mut device, &mut server);
        assert!(requests <= 3, "{requests} requests");
        assert_eq!(device.head_hashes(), server.head_hashes());
        assert_eq!(
            device.notes().unwrap(),
            "【再訪】佐藤先生は新しいデータに関心。次回は用量を説明。"
        );
        assert_eq!(server.notes().unwrap(), device.notes().unwrap());
    }

    #[test]
    fn filters_automerge_cannot_use_are_refused() {
        let now = now();
        let mut doc =
            VisitDoc::create(ActorId::random(), crate::VisitId::new_v7(), &fields("メモ"), now).unwrap();
        let heads = doc.head_hashes();
        // The fuzzer's find: a filter with entries and no bits (automerge 0.12 divides by zero on it).
        let crash = include_bytes!("../../../fuzz/regressions/sync_bodies/bloom-without-bits");
        let mut state = sync::State::new();
        let err = doc.receive_sync_message(&mut state, &crash[1..]).unwrap_err();
        assert!(err.to_string().contains("sync message"), "{err}");
        assert_eq!(doc.head_hashes(), heads);
        assert_eq!(leb128(&[0xe5, 0x8e, 0x26, 9]), Some((624_485, &[9u8][..])));
        assert_eq!(leb128(&[0x80]), None);
    }

    #[test]
    fn a_malformed_message_is_refused_and_changes_nothing() {
        let now = now();
        let mut doc =
            VisitDoc::create(ActorId::random(), crate::VisitId::new_v7(), &fields("メモ"), now).unwrap();
        let heads = doc.head_hashes();
        let mut state = sync::State::new();
        assert!(doc
            .receive_sync_message(&mut state, b"\x42not a message")
            .is_err());
        assert_eq!(doc.head_hashes(), heads);
    }
}
