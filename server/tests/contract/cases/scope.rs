//! Contract cases of who may do what: reps, managers, tokens, events, master data and rules.

use mrc_core::sync::wire::{PullRequest, Want, PROTOCOL_VERSION};
use mrc_server::{
    admin,
    auth::token_hash,
    exchange,
    store::{transact, Access},
    Principal, ServerError, ServerStore,
};

use crate::support::*;

const MASTER: &str = r#"{"products":[{"id":"P1","name":"グルコバランス錠"}],"reps":[{"id":"R1","name":"高橋 美咲","products":["P1"]}]}"#;

pub fn another_reps_visit_can_be_neither_read_nor_written(store: &dyn ServerStore) {
    let mut r1 = Device::new_visit("R1", "R1 の訪問");
    r1.sync(store, "R1");
    let (r1_feed, r1_cursor) = feed_of(store, "R1");

    // R2 edits R1's visit (a copy it got somehow), alone or beside a visit of its own: refused, nothing stored.
    let mut intruder = r1.fork();
    intruder.edit_notes("書き換え");
    let mut own = Device::new_visit("R2", "R2 の訪問");
    for docs in [vec![intruder.push()], vec![own.push(), intruder.push()]] {
        let result = exchange::sync(
            store,
            &Principal::rep("R2"),
            &request(docs, vec![event(None)], 0),
            1,
        );
        assert!(is_forbidden(result));
    }
    assert_eq!(
        feed_of(store, "R1"),
        (r1_feed.clone(), r1_cursor),
        "R1's visit did not change"
    );
    assert!(
        feed_of(store, "R2").0.is_empty(),
        "R2's own visit was not stored either"
    );
    let events = transact(store, Access::Read, |tx| Ok(tx.count_events("R2")?)).unwrap();
    assert_eq!(events, 0, "nor its event");

    // R2 cannot pull it, nor see it in its feed.
    let want = PullRequest {
        v: PROTOCOL_VERSION,
        want: vec![Want {
            id: *r1.id.as_bytes(),
            have: vec![],
        }],
    };
    assert!(is_forbidden(exchange::pull(store, &Principal::rep("R2"), &want)));
    own.sync(store, "R2");
    let (r2_feed, _) = feed_of(store, "R2");
    assert_eq!(r2_feed.len(), 1);
    assert_eq!(r2_feed[0].0, *own.id.as_bytes());
}

pub fn a_visit_cannot_be_handed_to_another_rep(store: &dyn ServerStore) {
    let mut device = Device::new_visit("R1", "x");
    device.sync(store, "R1");
    let before = feed_of(store, "R1");
    device.set_rep("R2");
    let push = device.push();
    assert!(is_forbidden(exchange::sync(
        store,
        &Principal::rep("R1"),
        &request(vec![push], vec![], 0),
        1
    )));
    assert_eq!(feed_of(store, "R1"), before);

    let stranger = Device::new_visit("R2", "y").push();
    assert!(is_forbidden(exchange::sync(
        store,
        &Principal::rep("R1"),
        &request(vec![stranger], vec![], 0),
        1
    )));
    assert!(feed_of(store, "R2").0.is_empty());
}

pub fn a_manager_reads_the_team_and_writes_only_comments(store: &dyn ServerStore) {
    let mut a = Device::new_visit("R1", "a");
    let mut b = Device::new_visit("R2", "b");
    let mut c = Device::new_visit("R3", "c");
    a.sync(store, "R1");
    b.sync(store, "R2");
    c.sync(store, "R3");
    let manager = Principal::manager(["R1", "R2"]);

    let response = exchange::sync(store, &manager, &request(vec![], vec![], 0), 1).unwrap();
    let ids: Vec<_> = response.feed.iter().map(|e| e.id).collect();
    assert_eq!(ids, vec![*a.id.as_bytes(), *b.id.as_bytes()]);

    let pull = |ids: Vec<[u8; 16]>| PullRequest {
        v: PROTOCOL_VERSION,
        want: ids.into_iter().map(|id| Want { id, have: vec![] }).collect(),
    };
    let page = exchange::pull(store, &manager, &pull(vec![*a.id.as_bytes(), *b.id.as_bytes()])).unwrap();
    assert_eq!(page.docs.len(), 2);
    assert!(is_forbidden(exchange::pull(
        store,
        &manager,
        &pull(vec![*c.id.as_bytes()])
    )));

    // Edits and events are refused (cases/comments.rs has the rest); a comment goes through.
    let before = feed_of(store, "R1");
    let mut edit = a.fork();
    edit.edit_notes("課長による書き換え");
    assert!(is_forbidden(exchange::sync(
        store,
        &manager,
        &request(vec![edit.push()], vec![], 0),
        1
    )));
    assert_eq!(feed_of(store, "R1"), before);
    a.comment(mrc_core::visit::CommentRole::Manager, "確認しました。");
    a.sync_as(store, &manager);
    assert_ne!(feed_of(store, "R1"), before);
    assert!(is_forbidden(exchange::sync(
        store,
        &manager,
        &request(vec![], vec![event(None)], 0),
        1
    )));
}

pub fn events_are_stored_once(store: &dyn ServerStore) {
    let (e1, e2, e3) = (event(None), event(None), event(None));
    let rep = Principal::rep("R1");
    let first = exchange::sync(store, &rep, &request(vec![], vec![e1.clone(), e2.clone()], 0), 1).unwrap();
    assert_eq!(first.events_acked, 2);
    let e3_copy = e3.clone();
    let second = exchange::sync(store, &rep, &request(vec![], vec![e1.clone(), e2, e3], 0), 1).unwrap();
    assert_eq!(second.events_acked, 3);
    // Another rep replaying R1's event id stores nothing.
    exchange::sync(store, &Principal::rep("R2"), &request(vec![], vec![e1], 0), 1).unwrap();
    let count =
        |rep: &'static str| transact(store, Access::Read, move |tx| Ok(tx.count_events(rep)?)).unwrap();
    assert_eq!(count("R1"), 3);
    assert_eq!(count("R2"), 0);
    // The head-office view reads them back whole, oldest first.
    let all = transact(store, Access::Read, |tx| Ok(tx.events_since(i64::MIN)?)).unwrap();
    assert_eq!(all.len(), 3);
    assert!(all.iter().all(|e| e.rep_id == "R1"));
    assert!(all.iter().any(|e| e.event == e3_copy));
    assert!(all
        .windows(2)
        .all(|w| w[0].event.occurred_at_ms <= w[1].event.occurred_at_ms));
    let later = transact(store, Access::Read, |tx| Ok(tx.events_since(i64::MAX)?)).unwrap();
    assert!(later.is_empty());

    // A week of taps in one request (stored in batches): each new one once, whole, however the batches fall.
    let mut week: Vec<_> = (0..57).map(|_| event(None)).collect();
    week[3].visit_id = Some(b"visit-0003".to_vec());
    week[3].material_version = None;
    week[3].card_id = None;
    week.push(week[10].clone()); // the same tap twice in one request
    week.push(e3_copy.clone()); // and one stored before
    exchange::sync(store, &rep, &request(vec![], week.clone(), 0), 1).unwrap();
    assert_eq!(count("R1"), 3 + 57);
    let all_reps = transact(store, Access::Read, |tx| Ok(tx.count_all_events()?)).unwrap();
    assert_eq!(all_reps, 3 + 57);
    let all = transact(store, Access::Read, |tx| Ok(tx.events_since(i64::MIN)?)).unwrap();
    for sent in &week[..57] {
        assert_eq!(all.iter().filter(|e| e.event == *sent).count(), 1, "{sent:?}");
    }
}

pub fn head_office_tokens_name_no_rep_and_read_no_visit(store: &dyn ServerStore) {
    let token = admin::mint_token(
        store,
        &Principal::head_office(),
        &crate::support::operator(),
        None,
    )
    .unwrap();
    let hash = token_hash(&token);
    let found = transact(store, Access::Read, |tx| {
        Ok(tx.token(&hash)?.map(|t| t.principal))
    })
    .unwrap()
    .unwrap();
    assert_eq!(found, Principal::head_office());
    assert!(found.writer().is_none() && !found.can_read("R1"));
    let with_rep = Principal {
        role: mrc_server::Role::HeadOffice,
        reps: vec!["R1".into()],
    };
    assert!(admin::mint_token(store, &with_rep, &crate::support::operator(), None).is_err());
}

pub fn tokens_are_stored_hashed(store: &dyn ServerStore) {
    let token = admin::mint_token(store, &Principal::rep("R1"), &crate::support::operator(), None).unwrap();
    let manager = admin::mint_token(
        store,
        &Principal::manager(["R2", "R1"]),
        &crate::support::operator(),
        None,
    )
    .unwrap();
    let found = |t: &str| {
        let hash = token_hash(t);
        transact(store, Access::Read, |tx| {
            Ok(tx.token(&hash)?.map(|t| t.principal))
        })
        .unwrap()
    };
    assert_eq!(found(&token), Some(Principal::rep("R1")));
    assert_eq!(found(&manager), Some(Principal::manager(["R1", "R2"])));
    assert_eq!(found("not a token"), None);
    assert!(matches!(
        admin::mint_token(
            store,
            &Principal {
                role: mrc_server::Role::Rep,
                reps: vec!["R1".into(), "R2".into()]
            },
            &crate::support::operator(),
            None
        ),
        Err(ServerError::Invalid(_))
    ));
}

pub fn master_data_and_rules_go_out_when_newer(store: &dyn ServerStore) {
    let rep = Principal::rep("R1");
    let none = exchange::sync(store, &rep, &request(vec![], vec![], 0), 1).unwrap();
    assert!(none.master.is_none() && none.rules.is_none());

    assert_eq!(admin::import_master(store, MASTER).unwrap(), 1);
    assert_eq!(
        admin::import_rules(store, r#"{"max_visits_per_day": 10}"#).unwrap(),
        1
    );
    assert!(matches!(
        admin::import_master(store, r#"{"reps":[{"id":1}]}"#),
        Err(ServerError::Invalid(_))
    ));
    assert!(matches!(
        admin::import_rules(store, r#"{"work_start":"25:99"}"#),
        Err(ServerError::Invalid(_))
    ));
    assert_eq!(admin::import_master(store, MASTER).unwrap(), 2);

    let mut req = request(vec![], vec![], 0);
    let both = exchange::sync(store, &rep, &req, 1).unwrap();
    assert_eq!(both.master.as_ref().map(|m| m.version), Some(2));
    assert_eq!(both.master.unwrap().json, MASTER);
    assert_eq!(both.rules.map(|r| r.version), Some(1));
    req.master_version = 2;
    req.rules_version = 1;
    let neither = exchange::sync(store, &rep, &req, 1).unwrap();
    assert!(neither.master.is_none() && neither.rules.is_none());
}
