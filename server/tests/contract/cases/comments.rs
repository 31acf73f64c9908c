//! Contract cases of comments: a manager adds comments to the team's visits and changes nothing else; a rep
//! comments as the rep; earlier comments are never rewritten. A refusal stores nothing of the request.

use mrc_core::visit::{CommentRole, VisitStatus};
use mrc_server::{exchange, Principal, ServerStore};

use crate::support::*;

fn manager() -> Principal {
    Principal::manager(["R1", "R2"])
}

pub fn a_manager_adds_comments_to_the_teams_visits(store: &dyn ServerStore) {
    let mut rep = Device::new_visit("R1", "佐藤先生に新しい臨床データを説明した。");
    rep.doc.submit(crate::support::now()).unwrap();
    rep.doc.commit(crate::support::now());
    rep.sync(store, "R1");
    let (_, cursor) = feed_of(store, "R1");

    let mut boss = rep.fork();
    boss.comment(CommentRole::Manager, "次回は用量の説明をお願いします。");
    boss.sync_as(store, &manager());
    let (feed, new_cursor) = feed_of(store, "R1");
    assert!(new_cursor > cursor, "the comment is a change in the feed");
    assert_eq!(feed[0].1, boss.heads());

    rep.sync(store, "R1");
    assert_eq!(
        rep.comments(),
        vec![(
            CommentRole::Manager,
            "次回は用量の説明をお願いします。".to_owned()
        )]
    );
    let state = rep.doc.state().unwrap();
    assert_eq!(state.status, VisitStatus::Submitted);
    assert!(!state.needs_review);

    // The rep answers; the manager sees it on the next sync, and comments again on top of it.
    rep.comment(CommentRole::Rep, "承知しました。資料も準備します。");
    rep.sync(store, "R1");
    boss.sync_as(store, &manager());
    assert_eq!(boss.comments().len(), 2);
    boss.comment(CommentRole::Manager, "よろしくお願いします。");
    boss.sync_as(store, &manager());
    rep.sync(store, "R1");
    assert_eq!(rep.comments().len(), 3);
    assert_eq!(rep.comments(), boss.comments());
}

pub fn a_manager_push_with_anything_but_new_manager_comments_is_refused(store: &dyn ServerStore) {
    let mut a = Device::new_visit("R1", "訪問メモ A");
    let mut b = Device::new_visit("R2", "訪問メモ B");
    let mut c = Device::new_visit("R3", "訪問メモ C");
    a.comment(CommentRole::Rep, "先生は前向きでした。");
    a.sync(store, "R1");
    b.sync(store, "R2");
    c.sync(store, "R3");
    let before = (feed_of(store, "R1"), feed_of(store, "R2"), feed_of(store, "R3"));
    let refused = |pushes: Vec<mrc_core::sync::wire::DocPush>| {
        assert!(is_forbidden(exchange::sync(
            store,
            &manager(),
            &request(pushes, vec![], 0),
            1
        )));
    };

    // A comment beside a notes edit, a field edit, a status change.
    let mut edit = a.fork();
    edit.comment(CommentRole::Manager, "コメント");
    edit.edit_notes("課長が書き換えたメモ");
    refused(vec![edit.push()]);
    let mut field = a.fork();
    field.set_rep("R2");
    refused(vec![field.push()]);
    let mut status = a.fork();
    status.doc.set_status(VisitStatus::Amended).unwrap();
    status.doc.commit(crate::support::now());
    refused(vec![status.push()]);
    // A comment claiming to be the rep's.
    let mut forged = a.fork();
    forged.comment(CommentRole::Rep, "承知しました（偽）");
    refused(vec![forged.push()]);
    // An out-of-scope visit, even with only a comment.
    let mut outside = c.fork();
    outside.comment(CommentRole::Manager, "範囲外のコメント");
    refused(vec![outside.push()]);
    // A new visit.
    refused(vec![Device::new_visit("R1", "新規").push()]);
    // A valid comment on A beside an edit of B: the whole request is refused, A's comment is not stored.
    let mut ok = a.fork();
    ok.comment(CommentRole::Manager, "良い訪問でした。");
    let mut bad = b.fork();
    bad.edit_notes("書き換え");
    refused(vec![ok.push(), bad.push()]);
    // Nor may a manager push events.
    assert!(is_forbidden(exchange::sync(
        store,
        &manager(),
        &request(vec![], vec![event(None)], 0),
        1
    )));

    assert_eq!(
        (feed_of(store, "R1"), feed_of(store, "R2"), feed_of(store, "R3")),
        before,
        "nothing was stored"
    );
    // The same comment alone goes through.
    ok.sync_as(store, &manager());
    assert_eq!(ok.comments().len(), 2);
}

pub fn a_rep_comments_as_the_rep_and_never_rewrites_comments(store: &dyn ServerStore) {
    let mut rep = Device::new_visit("R1", "訪問メモ");
    rep.sync(store, "R1");
    let mut boss = rep.fork();
    boss.comment(CommentRole::Manager, "確認しました。");
    boss.sync_as(store, &manager());

    // A rep may edit their visit and answer in the same push.
    rep.sync(store, "R1");
    rep.edit_notes("訪問メモ（追記あり）");
    rep.comment(CommentRole::Rep, "追記しました。");
    rep.sync(store, "R1");
    let before = feed_of(store, "R1");

    // A rep's comment claiming to be the manager's is refused.
    let mut forged = rep.fork();
    forged.comment(CommentRole::Manager, "課長を装ったコメント");
    assert!(is_forbidden(exchange::sync(
        store,
        &Principal::rep("R1"),
        &request(vec![forged.push()], vec![], 0),
        1
    )));
    // So is a comment that is empty after trimming.
    let mut empty = rep.fork();
    empty.comment(CommentRole::Rep, "　");
    assert!(exchange::sync(
        store,
        &Principal::rep("R1"),
        &request(vec![empty.push()], vec![], 0),
        1
    )
    .is_err());
    assert_eq!(feed_of(store, "R1"), before, "nothing was stored");

    // Nor may a manager add the rep's comments to a visit the manager's team does not hold.
    let mut stranger = Device::new_visit("R9", "他チームの訪問");
    stranger.sync(store, "R9");
    let mut peek = stranger.fork();
    peek.comment(CommentRole::Manager, "範囲外");
    assert!(is_forbidden(exchange::sync(
        store,
        &manager(),
        &request(vec![peek.push()], vec![], 0),
        1
    )));
}
