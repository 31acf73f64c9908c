//! Visit documents through the store: create, edit, notes, lists, export.

use chrono::{DateTime, NaiveDate};
use mrc_core::visit::{Reaction, VisitDoc, VisitError, VisitFilter, VisitStatus};

use crate::fixtures;

#[test]
fn create_then_read_back_every_field() {
    let (_dir, store) = fixtures::store();
    let id = store.create_visit(&fixtures::form()).unwrap();
    let visit = store.get_visit(id).unwrap();
    assert_eq!(visit.fields, fixtures::form());
    assert_eq!(visit.status, VisitStatus::Draft);
    assert_eq!(id.to_string().as_bytes()[14], b'7', "ids are UUIDv7");
}

#[test]
fn an_incomplete_draft_is_kept() {
    let (_dir, store) = fixtures::store();
    let draft = mrc_core::visit::VisitFields {
        notes: "途中まで入力".into(),
        ..Default::default()
    };
    let id = store.create_visit(&draft).unwrap();
    assert_eq!(store.get_visit(id).unwrap().fields, draft);
}

#[test]
fn update_writes_only_what_changed_and_reports_no_op() {
    let (_dir, store) = fixtures::store();
    let id = store.create_visit(&fixtures::form()).unwrap();
    assert!(
        !store.update_visit(id, &fixtures::form()).unwrap(),
        "same form, no change"
    );
    let mut form = fixtures::form();
    form.reaction = Some(Reaction::Neutral);
    form.products.clear();
    form.next_objective = None;
    assert!(store.update_visit(id, &form).unwrap());
    assert_eq!(store.get_visit(id).unwrap().fields, form);
}

#[test]
fn notes_splice_counts_characters_for_japanese_and_emoji() {
    let (_dir, store) = fixtures::store();
    let mut form = fixtures::form();
    form.notes = "先生😊は関心あり".into();
    let id = store.create_visit(&form).unwrap();
    // Insert after the emoji: position 3 counts 先, 生, 😊.
    store.splice_notes(id, 3, 0, "【重要】").unwrap();
    assert_eq!(
        store.get_visit(id).unwrap().fields.notes,
        "先生😊【重要】は関心あり"
    );
    // Replace the emoji itself (one character).
    store.splice_notes(id, 2, 1, "👍").unwrap();
    assert_eq!(
        store.get_visit(id).unwrap().fields.notes,
        "先生👍【重要】は関心あり"
    );
    match store.splice_notes(id, 11, 2, "x") {
        Err(VisitError::NotesRange {
            position: 11,
            delete: 2,
            length: 12,
        }) => {}
        other => panic!("expected NotesRange, got {other:?}"),
    }
    assert_eq!(
        store.get_visit(id).unwrap().fields.notes,
        "先生👍【重要】は関心あり",
        "a refused edit changes nothing"
    );
}

#[test]
fn an_edit_made_against_other_text_is_refused_and_changes_nothing() {
    let (_dir, store) = fixtures::store();
    let mut form = fixtures::form();
    form.notes = "先生は関心".into();
    let id = store.create_visit(&form).unwrap();
    // Made on "先生は関心" (5 characters): applies.
    store.splice_notes_against(id, Some(5), 5, 0, "。").unwrap();
    // Made on the text before that edit: refused, whatever its position.
    match store.splice_notes_against(id, Some(5), 3, 0, "新データに") {
        Err(VisitError::StaleEdit {
            expected: 5,
            found: 6,
        }) => {}
        other => panic!("expected StaleEdit, got {other:?}"),
    }
    assert_eq!(store.get_visit(id).unwrap().fields.notes, "先生は関心。");
    store
        .splice_notes_against(id, Some(6), 3, 0, "新データに")
        .unwrap();
    assert_eq!(
        store.get_visit(id).unwrap().fields.notes,
        "先生は新データに関心。"
    );
}

#[test]
fn whole_text_update_keeps_the_rest() {
    let (_dir, store) = fixtures::store();
    let id = store.create_visit(&fixtures::form()).unwrap();
    store
        .set_notes(id, "先生はHbA1cの新しいデータに強い関心。🙏 次回は症例を持参。")
        .unwrap();
    assert_eq!(
        store.get_visit(id).unwrap().fields.notes,
        "先生はHbA1cの新しいデータに強い関心。🙏 次回は症例を持参。"
    );
}

#[test]
fn many_edits_compact_and_reload_identically() {
    let (dir, store) = fixtures::store();
    let id = store.create_visit(&fixtures::form()).unwrap();
    for i in 0..80 {
        store.splice_notes(id, 0, 0, &format!("{i}、")).unwrap();
    }
    let expected = store.get_visit(id).unwrap().fields.notes;
    let chunks: i64 = store
        .read(|c| {
            c.query_row("SELECT count(*) FROM visit_chunks", [], |r| r.get(0))
                .map_err(mrc_core::StoreError::from)
        })
        .unwrap();
    assert!(chunks <= 33, "compaction keeps chunks bounded, found {chunks}");
    drop(store);
    let reopened = crate::fixtures::open(dir.path().join("mrc.db"));
    let doc = VisitDoc::load(&reopened.export_visit(id).unwrap(), reopened.actor().clone()).unwrap();
    assert_eq!(doc.notes().unwrap(), expected);
    reopened.splice_notes(id, 0, 0, "再開").unwrap();
    assert!(reopened
        .get_visit(id)
        .unwrap()
        .fields
        .notes
        .starts_with("再開79、"));
}

#[test]
fn lists_today_by_hcp_and_by_dates_newest_first() {
    let (_dir, store) = fixtures::store();
    let at = |t: &str| {
        let mut form = fixtures::form();
        form.started_at = Some(DateTime::parse_from_rfc3339(t).unwrap());
        store.create_visit(&form).unwrap()
    };
    let early = at("2026-11-20T09:00:00+09:00");
    let late = at("2026-11-20T16:30:00+09:00");
    let yesterday = at("2026-11-19T23:59:00+09:00");
    let just_after_midnight_utc = at("2026-11-20T00:30:00+09:00"); // still 20th in Japan, 19th in UTC
    let now = DateTime::parse_from_rfc3339("2026-11-20T12:00:00+09:00").unwrap();
    let ids = |filter| {
        store
            .list_visits(&filter)
            .unwrap()
            .into_iter()
            .map(|v| v.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(VisitFilter::Today { now: now.to_utc() }),
        vec![late, early, just_after_midnight_utc]
    );
    assert_eq!(
        ids(VisitFilter::Hcp("H1".into())),
        vec![late, early, just_after_midnight_utc, yesterday]
    );
    assert!(ids(VisitFilter::Hcp("H2".into())).is_empty());
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    assert_eq!(
        ids(VisitFilter::Dates {
            from: day(19),
            to: day(19)
        }),
        vec![yesterday]
    );
    assert_eq!(
        ids(VisitFilter::Dates {
            from: day(19),
            to: day(20)
        })
        .len(),
        4
    );
}

#[test]
fn the_hot_list_queries_use_their_indexes() {
    let (_dir, store) = fixtures::store();
    let plan = |sql: &str| -> String {
        store
            .read(|c| {
                let mut stmt = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
                let rows: Vec<String> = stmt.query_map([], |r| r.get(3))?.collect::<Result<_, _>>()?;
                Ok::<_, mrc_core::StoreError>(rows.join(" | "))
            })
            .unwrap()
    };
    let today =
        plan("SELECT id FROM visits WHERE started_at >= 0 AND started_at < 10 ORDER BY started_at DESC");
    assert!(today.contains("USING INDEX visits_started"), "{today}");
    let hcp = plan("SELECT id FROM visits WHERE hcp_id = 'H1' ORDER BY started_at DESC");
    assert!(hcp.contains("USING INDEX visits_hcp_started"), "{hcp}");
    let rep = plan("SELECT id FROM visits WHERE rep_id = 'R1' AND started_at >= 0 AND started_at < 10");
    assert!(rep.contains("USING INDEX visits_rep_started"), "{rep}");
}

#[test]
fn unknown_ids_are_not_found() {
    let (_dir, store) = fixtures::store();
    let id = mrc_core::VisitId::new_v7();
    assert!(matches!(store.get_visit(id), Err(VisitError::NotFound(_))));
    assert!(matches!(store.set_notes(id, "x"), Err(VisitError::NotFound(_))));
    assert!(matches!(store.export_visit(id), Err(VisitError::NotFound(_))));
}

#[test]
fn merging_garbage_or_another_visit_is_refused() {
    let (_dir, store) = fixtures::store();
    let a = store.create_visit(&fixtures::form()).unwrap();
    let b = store.create_visit(&fixtures::form()).unwrap();
    assert!(matches!(
        store.merge_visit(b"not automerge"),
        Err(VisitError::BadDocument(_))
    ));
    let bytes = store.export_visit(b).unwrap();
    assert!(matches!(
        store.merge_visit_into(a, &bytes),
        Err(VisitError::WrongVisit { .. })
    ));
}

#[test]
fn keystrokes_clear_the_stored_score_and_the_next_save_judges_it_again() {
    let (_dir, store) = fixtures::store();
    let id = store.create_visit(&fixtures::form()).unwrap();
    assert!(store.get_visit(id).unwrap().score.is_some());
    store.splice_notes(id, 0, 0, "追記：").unwrap();
    let typing = store.get_visit(id).unwrap();
    assert_eq!(typing.score, None, "not judged on a keystroke");
    assert!(typing.fields.notes.starts_with("追記："));
    // The form saves the same state: nothing new in the document, but the score is judged again.
    assert!(!store.update_visit(id, &typing.fields).unwrap());
    assert!(store.get_visit(id).unwrap().score.is_some());
}
