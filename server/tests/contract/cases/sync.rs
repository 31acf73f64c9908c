//! Contract cases of `/v1/sync`: merging, replays, send_full, the feed, compaction, limits, concurrency.

use std::sync::Arc;

use mrc_core::{
    sync::wire::{DocPush, DocStatus, PullRequest, Want, MAX_DOCS_PER_REQUEST, PROTOCOL_VERSION},
    visit::VisitDoc,
};
use mrc_server::{
    exchange,
    store::{transact, Access},
    DocCache, Principal, ServerError, ServerStore,
};

use crate::support::*;

pub fn new_visit_is_stored_and_a_replay_changes_nothing(store: &dyn ServerStore) {
    let mut device = Device::new_visit("R1", "初回訪問");
    let push = device.push();
    let first = exchange::sync(
        store,
        &Principal::rep("R1"),
        &request(vec![push.clone()], vec![], 0),
        7,
    )
    .unwrap();
    assert_eq!(first.v, PROTOCOL_VERSION);
    assert_eq!(first.server_time_ms, 7);
    let reply = &first.docs[0];
    assert_eq!(reply.status, DocStatus::Merged);
    assert!(reply.changes.is_empty(), "the device lacks nothing");
    assert_eq!(unwire(&reply.server_heads), device.heads());
    assert!(
        first.feed.is_empty(),
        "the visit just merged is not echoed in the feed: its reply has the heads"
    );
    assert!(first.cursor > 0, "the cursor still moves past it");
    let (feed, cursor) = feed_of(store, "R1");
    assert_eq!(feed, vec![(*device.id.as_bytes(), device.heads())]);
    assert_eq!(cursor, first.cursor);

    let again = exchange::sync(store, &Principal::rep("R1"), &request(vec![push], vec![], 0), 7).unwrap();
    assert_eq!(
        again, first,
        "replaying the request changes nothing, not even the sequence number"
    );
    let meta = transact(store, Access::Read, |tx| Ok(tx.doc_meta(device.id.as_bytes())?))
        .unwrap()
        .unwrap();
    assert_eq!(meta.chunk_count, 1);
    assert_eq!(meta.owner, "R1");
}

pub fn the_server_returns_what_the_device_lacks(store: &dyn ServerStore) {
    let mut tablet = Device::new_visit("R1", "先生は新データに関心");
    tablet.sync(store, "R1");
    let mut phone = tablet.fork();
    phone.edit_notes("先生は新データに関心。次回は用量");
    phone.sync(store, "R1");
    tablet.edit_notes("先生は新データに関心😊");
    let response = tablet.sync(store, "R1");
    assert!(
        !response.docs[0].changes.is_empty(),
        "the tablet got the phone's edit"
    );
    phone.sync(store, "R1");
    assert_eq!(tablet.heads(), phone.heads());
    assert_eq!(tablet.notes(), phone.notes());
    assert!(
        tablet.notes().contains("次回は用量") && tablet.notes().contains('😊'),
        "{}",
        tablet.notes()
    );
}

pub fn changes_on_unknown_heads_get_send_full_and_store_nothing(store: &dyn ServerStore) {
    // A new visit whose first changes the server never got: only the latest edit is sent.
    let mut device = Device::new_visit("R1", "a");
    device.have = device.heads(); // pretend the server had the creation
    device.edit_notes("ab");
    let push = device.push();
    let response = exchange::sync(store, &Principal::rep("R1"), &request(vec![push], vec![], 0), 1).unwrap();
    assert_eq!(response.docs[0].status, DocStatus::SendFull);
    assert!(response.docs[0].changes.is_empty());
    assert!(response.feed.is_empty(), "nothing stored");

    // The whole document then merges.
    device.have = Vec::new();
    device.sync(store, "R1");

    // An existing visit: changes on top of an edit the server never got.
    let before = device.heads();
    let mut other = device.fork();
    other.edit_notes("abc");
    other.have = other.heads(); // the edit is lost on the way
    other.edit_notes("abcd");
    let response = exchange::sync(
        store,
        &Principal::rep("R1"),
        &request(vec![other.push()], vec![], 0),
        1,
    )
    .unwrap();
    assert_eq!(response.docs[0].status, DocStatus::SendFull);
    assert_eq!(unwire(&response.docs[0].server_heads), before);
    let (feed, _) = feed_of(store, "R1");
    assert_eq!(feed[0].1, before, "the server's document did not move");
    other.have = before;
    other.sync(store, "R1");
    assert_eq!(other.notes(), "abcd");
}

pub fn the_feed_follows_the_cursor(store: &dyn ServerStore) {
    let mut a = Device::new_visit("R1", "a");
    let mut b = Device::new_visit("R1", "b");
    let first = a.sync(store, "R1");
    b.sync(store, "R1");
    let (feed, cursor) = feed_of(store, "R1");
    assert_eq!(
        feed.iter().map(|e| e.0).collect::<Vec<_>>(),
        vec![*a.id.as_bytes(), *b.id.as_bytes()]
    );

    let rep = Principal::rep("R1");
    let nothing_new = exchange::sync(store, &rep, &request(vec![], vec![], cursor), 1).unwrap();
    assert!(nothing_new.feed.is_empty());
    assert_eq!(nothing_new.cursor, cursor);
    assert!(nothing_new.reset.is_none());
    // A cursor beyond the server's head was given by a history the server no longer holds (a restore): the device
    // is told to reconcile, against the whole feed.
    let beyond = exchange::sync(store, &rep, &request(vec![], vec![], u64::MAX), 1).unwrap();
    assert_eq!(beyond.feed.len(), 2);
    assert_eq!(beyond.cursor, cursor);
    assert_eq!(beyond.reset.map(|r| r.writer), Some(Some("R1".to_owned())));

    a.edit_notes("a2");
    a.sync(store, "R1");
    let since = exchange::sync(store, &rep, &request(vec![], vec![], cursor), 1).unwrap();
    assert_eq!(since.feed.len(), 1);
    assert_eq!(since.feed[0].id, *a.id.as_bytes());
    assert_eq!(unwire(&since.feed[0].heads), a.heads());
    assert!(since.cursor > cursor && first.cursor < cursor);
    // Re-ordered: a is now last.
    let (feed, _) = feed_of(store, "R1");
    assert_eq!(
        feed.iter().map(|e| e.0).collect::<Vec<_>>(),
        vec![*b.id.as_bytes(), *a.id.as_bytes()]
    );

    // One request writing three visits takes three numbers, in id order, and the cursor moves past all three.
    let (_, before) = feed_of(store, "R1");
    let mut three: Vec<Device> = ["東京", "大阪", "福岡"]
        .iter()
        .map(|n| Device::new_visit("R1", n))
        .collect();
    let pushes = three.iter_mut().map(Device::push).collect();
    let written = exchange::sync(store, &rep, &request(pushes, vec![], before), 1).unwrap();
    assert_eq!(written.cursor, before + 3);
    let since = exchange::sync(store, &rep, &request(vec![], vec![], before), 1).unwrap();
    let mut ids: Vec<_> = three.iter().map(|d| *d.id.as_bytes()).collect();
    ids.sort();
    assert_eq!(since.feed.iter().map(|e| e.id).collect::<Vec<_>>(), ids);
    assert_eq!(since.cursor, before + 3);
}

pub fn documents_are_compacted(store: &dyn ServerStore) {
    let mut device = Device::new_visit("R1", "0");
    device.sync(store, "R1");
    for i in 1..=40 {
        device.edit_notes(&format!("edit {i}"));
        device.sync(store, "R1");
        let meta = transact(store, Access::Read, |tx| Ok(tx.doc_meta(device.id.as_bytes())?))
            .unwrap()
            .unwrap();
        assert!(meta.chunk_count < 32, "{}", meta.chunk_count);
    }
    let stored = transact(store, Access::Read, |tx| Ok(tx.read_doc(device.id.as_bytes())?))
        .unwrap()
        .unwrap();
    assert!(stored.meta.chunk_count < 32 && stored.meta.chunk_count as usize == stored.chunks.len());
    let mut doc = mrc_core::visit::VisitDoc::load(&stored.chunks.concat(), actor()).unwrap();
    assert_eq!(doc.head_hashes(), device.heads());
    assert_eq!(doc.notes().unwrap(), "edit 40");
}

pub fn limits_and_malformed_visits_refuse_the_whole_request(store: &dyn ServerStore) {
    let rep = Principal::rep("R1");
    let too_many: Vec<DocPush> = (0..=MAX_DOCS_PER_REQUEST)
        .map(|i| DocPush {
            id: (i as u128).to_be_bytes(),
            have: vec![],
            heads: vec![],
            changes: vec![],
            sync: None,
        })
        .collect();
    assert!(matches!(
        exchange::sync(store, &rep, &request(too_many, vec![], 0), 1),
        Err(ServerError::TooLarge(_))
    ));
    let events = (0..=MAX_DOCS_PER_REQUEST).map(|_| event(None)).collect();
    assert!(matches!(
        exchange::sync(store, &rep, &request(vec![], events, 0), 1),
        Err(ServerError::TooLarge(_))
    ));

    let mut good = Device::new_visit("R1", "good");
    let push = good.push();
    let twice = request(vec![push.clone(), push.clone()], vec![], 0);
    assert!(matches!(
        exchange::sync(store, &rep, &twice, 1),
        Err(ServerError::BadRequest(_))
    ));
    let garbage = DocPush {
        id: [7; 16],
        have: vec![],
        heads: vec![],
        changes: b"not automerge".to_vec(),
        sync: None,
    };
    let mixed = request(vec![push, garbage], vec![event(None)], 0);
    assert!(matches!(
        exchange::sync(store, &rep, &mixed, 1),
        Err(ServerError::BadRequest(_))
    ));
    assert!(
        feed_of(store, "R1").0.is_empty(),
        "the good visit was not stored either"
    );

    // A document pushed under another visit's id.
    let mut other = Device::new_visit("R1", "other");
    let mut disguised = other.push();
    disguised.id = *good.id.as_bytes();
    assert!(matches!(
        exchange::sync(store, &rep, &request(vec![disguised], vec![], 0), 1),
        Err(ServerError::BadRequest(_))
    ));
}

/// Two servers (two stores on one database) take concurrent edits of the same visits from several devices,
/// including the same new visit created on two devices at once; every device ends with the same document.
pub fn concurrent_servers_converge(first: Arc<dyn ServerStore>, second: Arc<dyn ServerStore>) {
    let mut origin = Device::new_visit("R1", "start");
    let mut devices: Vec<Device> = (0..4).map(|_| origin.fork()).collect();
    let stores = [first, second];
    std::thread::scope(|scope| {
        for (i, device) in devices.iter_mut().enumerate() {
            let store = stores[i % 2].clone();
            scope.spawn(move || {
                for round in 0..6 {
                    device.edit_notes(&format!("{}{i}:{round} ", device.notes()));
                    device.sync(&*store, "R1");
                }
            });
        }
    });
    for device in &mut devices {
        device.sync(&*stores[0], "R1");
    }
    let heads = devices[0].heads();
    let notes = devices[0].notes();
    for device in &mut devices {
        assert_eq!(device.heads(), heads);
        assert_eq!(device.notes(), notes);
    }
    for i in 0..4 {
        assert!(notes.contains(&format!("{i}:5 ")), "{notes}");
    }
    let (feed, _) = feed_of(&*stores[1], "R1");
    assert_eq!(feed, vec![(*origin.id.as_bytes(), heads)]);
}

fn push_cached(cache: &DocCache, store: &dyn ServerStore, device: &mut Device) -> Result<(), ServerError> {
    let request = request(vec![device.push()], vec![], 0);
    let response = exchange::sync_cached(store, cache, &Principal::rep("R1"), &request, 1)?;
    let reply = &response.docs[0];
    assert_eq!(reply.status, DocStatus::Merged);
    device.doc.apply_changes(&reply.changes).unwrap();
    device.have = unwire(&reply.server_heads);
    Ok(())
}

pub fn cached_documents_follow_the_stored_heads(store: &dyn ServerStore) {
    let cache = DocCache::new(16);
    let mut tablet = Device::new_visit("R1", "一回目");
    push_cached(&cache, store, &mut tablet).unwrap();
    for text in ["二回目", "三回目"] {
        tablet.edit_notes(text);
        push_cached(&cache, store, &mut tablet).unwrap();
    }
    // Another server process (no shared cache) moves the stored heads: the cached copy is stale.
    let mut phone = tablet.fork();
    phone.edit_notes("三回目、電話から");
    phone.sync(store, "R1");
    tablet.edit_notes("三回目😊");
    push_cached(&cache, store, &mut tablet).unwrap();
    assert_eq!(tablet.heads(), tablet.have, "the tablet got the phone's edit");
    phone.sync(store, "R1");
    assert_eq!(phone.notes(), tablet.notes());

    // A refused request leaves nothing behind, in the database or in the cache.
    tablet.set_rep("R2");
    assert!(is_forbidden(push_cached(&cache, store, &mut tablet)));
    phone.edit_notes("四回目");
    push_cached(&cache, store, &mut phone).unwrap();
    let pulled = exchange::pull(
        store,
        &Principal::rep("R1"),
        &PullRequest {
            v: PROTOCOL_VERSION,
            want: vec![Want {
                id: *phone.id.as_bytes(),
                have: vec![],
            }],
        },
    )
    .unwrap();
    let mut stored = VisitDoc::load(&pulled.docs[0].changes, actor()).unwrap();
    assert_eq!(stored.head_hashes(), phone.heads());
    assert_eq!(stored.state().unwrap().fields.rep_id.as_deref(), Some("R1"));
    assert_eq!(stored.notes().unwrap(), "四回目");
}
