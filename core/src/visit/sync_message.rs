//! Automerge's own sync messages for one visit document: the fallback when the device and the server no longer
//! know which changes they share (a restored server, a device restored from a backup). Each side keeps an
//! `automerge::sync::State` for the exchange; the server's is fresh on every request, so it stays stateless.

use automerge::sync::{self, SyncDoc};

use super::{VisitDoc, VisitError};

impl VisitDoc {
    /// The next message to a peer whose state is `state`, encoded; `None` when there is nothing left to say.
    pub fn generate_sync_message(&mut self, state: &mut sync::State) -> Option<Vec<u8>> {
        self.doc
            .sync()
            .generate_sync_message(state)
            .map(sync::Message::encode)
    }

    /// Applies a peer's encoded message (its heads, what it has, and the changes it thinks this side lacks).
    /// Returns whether the document changed.
    pub fn receive_sync_message(
        &mut self,
        state: &mut sync::State,
        bytes: &[u8],
    ) -> Result<bool, VisitError> {
        let message = sync::Message::decode(bytes)
            .map_err(|e| VisitError::BadDocument(format!("sync message: {e}")))?;
        let before = self.doc.get_heads();
        self.doc.sync().receive_sync_message(state, message)?;
        Ok(self.doc.get_heads() != before)
    }
}

#[cfg(test)]
mod tests {
    use automerge::ActorId;
    use chrono::Utc;

    use super::*;
    use crate::visit::VisitFields;

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
        let now = Utc::now();
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
    fn a_malformed_message_is_refused_and_changes_nothing() {
        let now = Utc::now();
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
