//! Fuzzes what a device or a server reads from the other side of a sync: any body decodes to a message or to an
//! error (never a panic, never more than the body limit inflated), an accepted message encodes and decodes to
//! itself, and an automerge sync message from the peer is applied or refused without a panic.
//!
//! The first byte picks the target: the four wire messages, or a sync message for a stored visit.

#![no_main]

use std::sync::Mutex;

use automerge::{sync, ActorId};
use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use mrc_core::{
    sync::wire::{decode, encode, Message, PullRequest, PullResponse, SyncRequest, SyncResponse},
    visit::{VisitDoc, VisitFields},
    VisitId,
};
use serde::{de::DeserializeOwned, Serialize};

fn round_trip<T: DeserializeOwned + Serialize + Message + PartialEq + std::fmt::Debug>(data: &[u8]) {
    if let Ok(message) = decode::<T>(data) {
        let again: T = decode(&encode(&message)).expect("an accepted message re-encodes");
        assert_eq!(again, message);
    }
}

fn doc() -> &'static Mutex<Vec<u8>> {
    static DOC: std::sync::OnceLock<Mutex<Vec<u8>>> = std::sync::OnceLock::new();
    DOC.get_or_init(|| {
        let fields = VisitFields {
            rep_id: Some("REP-001".into()),
            notes: "佐藤先生は新しいデータに関心。".into(),
            ..VisitFields::default()
        };
        let at = Utc.timestamp_opt(1_790_000_000, 0).single().expect("a valid time");
        let mut doc = VisitDoc::create(ActorId::from(b"fuzz".as_slice()), VisitId::new_v7(), &fields, at)
            .expect("a visit document");
        Mutex::new(doc.save())
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    match which % 5 {
        0 => round_trip::<SyncRequest>(body),
        1 => round_trip::<SyncResponse>(body),
        2 => round_trip::<PullRequest>(body),
        3 => round_trip::<PullResponse>(body),
        _ => {
            let saved = doc().lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
            let mut doc = VisitDoc::load(&saved, ActorId::from(b"server".as_slice())).expect("the stored visit loads");
            let mut state = sync::State::new();
            if doc.receive_sync_message(&mut state, body).is_ok() {
                let _ = doc.state();
                let _ = doc.generate_sync_message(&mut state);
            }
        }
    }
});
