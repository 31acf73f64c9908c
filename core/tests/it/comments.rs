//! Comments on visits: stored in the document, shown in the same order on every replica, never an edit.

use chrono::{Duration, TimeZone, Utc};
use mrc_core::{
    visit::{CommentProblem, CommentRole, VisitError, VisitStatus},
    Store, VisitId,
};

use crate::fixtures;

fn exchange(from: &Store, to: &Store, id: VisitId) {
    to.merge_visit_into(id, &from.export_visit(id).unwrap()).unwrap();
}

/// A rep's submitted visit (`rep`) and a manager's replica of it (`manager`).
fn submitted_and_shared() -> (tempfile::TempDir, Store, tempfile::TempDir, Store, VisitId) {
    let (dir_a, rep) = fixtures::store();
    let (dir_b, manager) = fixtures::store();
    let mut form = fixtures::form();
    form.notes = "佐藤先生に新しい臨床データを説明した。".into();
    let id = rep.create_visit(&form).unwrap();
    rep.submit_visit(id, crate::fixtures::now()).unwrap();
    assert!(
        manager
            .merge_visit(&rep.export_visit(id).unwrap())
            .unwrap()
            .created
    );
    (dir_a, rep, dir_b, manager, id)
}

#[test]
fn a_managers_comment_on_a_submitted_visit_is_not_a_late_edit() {
    let (_da, rep, _db, manager, id) = submitted_and_shared();
    let before = rep.get_visit(id).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 21, 9, 30, 0).unwrap();
    let added = manager
        .add_comment(
            id,
            CommentRole::Manager,
            "課長 山本",
            "  次回は用量の説明をお願いします。 ",
            now,
        )
        .unwrap();
    assert_eq!(added.text, "次回は用量の説明をお願いします。", "trimmed");
    exchange(&manager, &rep, id);

    let after = rep.get_visit(id).unwrap();
    assert_eq!(after.status, VisitStatus::Submitted);
    assert!(!after.needs_review, "a comment is not a late edit");
    assert_eq!(after.amendment_count, 0);
    assert_eq!(after.score, before.score);
    assert_eq!(after.finding_codes, before.finding_codes);
    assert_eq!(after.fields, before.fields);
    assert_eq!(rep.visit_comments(id).unwrap(), vec![added]);
    // The manager's own replica is not flagged either.
    assert!(!manager.get_visit(id).unwrap().needs_review);
}

#[test]
fn concurrent_comments_show_in_the_same_order_on_both_replicas() {
    let (_da, rep, _db, manager, id) = submitted_and_shared();
    let t = Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap();
    manager
        .add_comment(
            id,
            CommentRole::Manager,
            "課長 山本",
            "先生の反応はどうでしたか。",
            t + Duration::minutes(5),
        )
        .unwrap();
    rep.add_comment(id, CommentRole::Rep, "高橋 美咲", "前向きでした。", t)
        .unwrap();
    rep.add_comment(
        id,
        CommentRole::Rep,
        "高橋 美咲",
        "資料も渡しました。",
        t + Duration::minutes(5),
    )
    .unwrap();
    exchange(&manager, &rep, id);
    exchange(&rep, &manager, id);
    let (on_rep, on_manager) = (
        rep.visit_comments(id).unwrap(),
        manager.visit_comments(id).unwrap(),
    );
    assert_eq!(on_rep.len(), 3);
    assert_eq!(on_rep, on_manager);
    assert_eq!(on_rep[0].text, "前向きでした。", "the earliest first");
    assert!(on_rep
        .windows(2)
        .all(|w| (w[0].at, &w[0].id) < (w[1].at, &w[1].id)));
    assert!(!rep.get_visit(id).unwrap().needs_review);
}

#[test]
fn an_empty_or_too_long_comment_is_refused_and_nothing_is_stored() {
    let (_da, rep, _db, _manager, id) = submitted_and_shared();
    for (text, problem) in [
        ("　\n ", CommentProblem::Empty),
        (&*"長".repeat(2_001), CommentProblem::TooLong),
    ] {
        let result = rep.add_comment(id, CommentRole::Rep, "高橋 美咲", text, crate::fixtures::now());
        assert!(matches!(result, Err(VisitError::Comment(p)) if p == problem));
    }
    assert!(rep.visit_comments(id).unwrap().is_empty());
    let missing = rep.add_comment(
        VisitId::new_v7(),
        CommentRole::Rep,
        "高橋 美咲",
        "確認",
        crate::fixtures::now(),
    );
    assert!(matches!(missing, Err(VisitError::NotFound(_))));
}

#[test]
fn comment_messages_and_json_shape() {
    let messages: Vec<(String, String, String, String)> = [CommentProblem::Empty, CommentProblem::TooLong]
        .into_iter()
        .map(|p| {
            (
                p.code().to_owned(),
                p.ja(),
                p.en(),
                VisitError::Comment(p).to_string(),
            )
        })
        .collect();
    insta::assert_yaml_snapshot!("comment_messages", messages);
    let comment = mrc_core::visit::Comment {
        id: "0193a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6b".into(),
        author_role: CommentRole::Manager,
        author: "課長 山本".into(),
        at: Utc.with_ymd_and_hms(2026, 11, 21, 0, 30, 0).unwrap(),
        text: "次回は用量の説明をお願いします。".into(),
    };
    insta::assert_yaml_snapshot!("comment_shape", comment);
}
