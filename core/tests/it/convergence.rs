//! Two devices editing the same visit offline converge to identical documents and projection rows.

use chrono::{DateTime, Utc};
use mrc_core::{
    visit::{Channel, Reaction, Visit, VisitDoc},
    Store, VisitId,
};
use proptest::prelude::*;

use crate::fixtures;

/// The projection fields that must be equal on every replica (`updated_at` is this device's own clock).
fn replicated(visit: &Visit) -> impl PartialEq + std::fmt::Debug {
    (
        visit.fields.clone(),
        visit.status,
        visit.entered_at,
        visit.first_submitted_at,
    )
}

fn heads(store: &Store, id: VisitId) -> Vec<String> {
    VisitDoc::load(&store.export_visit(id).unwrap(), store.actor().clone())
        .unwrap()
        .heads()
}

fn exchange(from: &Store, to: &Store, id: VisitId) {
    to.merge_visit_into(id, &from.export_visit(id).unwrap()).unwrap();
}

/// Device A creates the visit and shares it with B; returns both stores and the id.
fn two_devices() -> (tempfile::TempDir, Store, tempfile::TempDir, Store, VisitId) {
    let (dir_a, a) = fixtures::store();
    let (dir_b, b) = fixtures::store();
    let mut form = fixtures::form();
    form.notes = "佐藤先生は新しい臨床データに関心を示された。次回は用量を説明する。".into();
    let id = a.create_visit(&form).unwrap();
    assert!(b.merge_visit(&a.export_visit(id).unwrap()).unwrap().created);
    (dir_a, a, dir_b, b, id)
}

#[test]
fn concurrent_edits_of_fields_and_the_same_sentence_converge_in_both_orders() {
    for a_first in [true, false] {
        let (_da, a, _db, b, id) = two_devices();
        // Offline on the tablet: longer visit, and an edit inside the first sentence.
        let mut form = a.get_visit(id).unwrap().fields;
        form.duration_min = Some(25);
        a.update_visit(id, &form).unwrap();
        a.splice_notes(id, 5, 0, "（糖尿病内科）").unwrap();
        // Offline on the phone: reaction changed, the same sentence edited and an emoji appended.
        let mut form = b.get_visit(id).unwrap().fields;
        form.reaction = Some(Reaction::Neutral);
        form.channel = Some(Channel::InPerson);
        b.update_visit(id, &form).unwrap();
        b.splice_notes(id, 6, 2, "臨床試験の").unwrap();
        b.splice_notes(id, 0, 0, "🏥").unwrap();

        if a_first {
            exchange(&a, &b, id);
            exchange(&b, &a, id);
        } else {
            exchange(&b, &a, id);
            exchange(&a, &b, id);
        }
        let (va, vb) = (a.get_visit(id).unwrap(), b.get_visit(id).unwrap());
        assert_eq!(replicated(&va), replicated(&vb));
        assert_eq!(heads(&a, id), heads(&b, id));
        assert_eq!(
            va.fields.duration_min,
            Some(25),
            "the tablet's field edit survives"
        );
        assert_eq!(
            va.fields.reaction,
            Some(Reaction::Neutral),
            "the phone's field edit survives"
        );
        let notes = &va.fields.notes;
        assert!(notes.starts_with("🏥"), "{notes}");
        assert!(notes.contains("（糖尿病内科）"), "{notes}");
        assert!(notes.contains("臨床試験の"), "{notes}");
        assert!(notes.ends_with("次回は用量を説明する。"), "{notes}");
    }
}

#[test]
fn merging_twice_changes_nothing() {
    let (_da, a, _db, b, id) = two_devices();
    b.set_notes(id, "電話で追加の質問あり📞").unwrap();
    exchange(&b, &a, id);
    let before = a.get_visit(id).unwrap();
    let again = a.merge_visit_into(id, &b.export_visit(id).unwrap()).unwrap();
    assert!(!again.changed);
    assert_eq!(replicated(&a.get_visit(id).unwrap()), replicated(&before));
}

#[derive(Debug, Clone)]
enum Edit {
    Splice {
        at: usize,
        delete: usize,
        text: String,
    },
    Duration(u32),
    Reaction(bool),
    Objective(String),
    /// A comment `minute` minutes after the visit was entered (concurrent ones may share the time).
    Comment {
        minute: u8,
        text: String,
    },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0usize..40, 0usize..4, "[あ-んア-ン漢字😊🏥a-z。、 ]{0,6}")
            .prop_map(|(at, delete, text)| Edit::Splice { at, delete, text }),
        (1u32..240).prop_map(Edit::Duration),
        any::<bool>().prop_map(Edit::Reaction),
        "[一-龠ぁ-ん]{0,8}".prop_map(Edit::Objective),
        (0u8..3, "[一-龠ぁ-ん]{1,8}").prop_map(|(minute, text)| Edit::Comment { minute, text }),
    ]
}

fn apply(doc: &mut VisitDoc, edit: &Edit, now: DateTime<Utc>) {
    let mut fields = doc.state().unwrap().fields;
    match edit {
        Edit::Splice { at, delete, text } => {
            let len = fields.notes.chars().count();
            let at = (*at).min(len);
            let delete = (*delete).min(len - at);
            doc.splice_notes(at, delete, text).unwrap();
        }
        Edit::Duration(d) => fields.duration_min = Some(*d),
        Edit::Reaction(p) => {
            fields.reaction = Some(if *p {
                Reaction::Positive
            } else {
                Reaction::Negative
            })
        }
        Edit::Objective(o) => fields.next_objective = Some(o.clone()),
        Edit::Comment { minute, text } => doc
            .add_comment(&mrc_core::visit::Comment {
                id: VisitId::new_v7().to_string(),
                author_role: mrc_core::visit::CommentRole::Manager,
                author: "課長 山本".into(),
                at: DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap()
                    + chrono::Duration::minutes(i64::from(*minute)),
                text: text.clone(),
            })
            .unwrap(),
    }
    if !matches!(edit, Edit::Splice { .. } | Edit::Comment { .. }) {
        doc.apply_fields(&fields).unwrap();
    }
    doc.commit(now);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn any_concurrent_edits_converge(left in prop::collection::vec(edit(), 0..12), right in prop::collection::vec(edit(), 0..12)) {
        let now = crate::fixtures::now();
        let id = VisitId::new_v7();
        let actor = |n: u8| automerge::ActorId::from([n; 16].as_slice());
        let mut origin = VisitDoc::create(actor(1), id, &fixtures::form(), now).unwrap();
        let bytes = origin.save();
        let mut a = VisitDoc::load(&bytes, actor(2)).unwrap();
        let mut b = VisitDoc::load(&bytes, actor(3)).unwrap();
        for e in &left { apply(&mut a, e, now); }
        for e in &right { apply(&mut b, e, now); }
        let mut a2 = VisitDoc::load(&a.save(), actor(4)).unwrap();
        let mut b2 = VisitDoc::load(&b.save(), actor(5)).unwrap();
        a.merge(&mut b2).unwrap();
        b.merge(&mut a2).unwrap();
        prop_assert_eq!(a.state().unwrap(), b.state().unwrap());
        prop_assert_eq!(a.heads(), b.heads());
        // Every comment is kept (the order is part of the state compared above).
        let written = left.iter().chain(&right).filter(|e| matches!(e, Edit::Comment { .. })).count();
        prop_assert_eq!(a.comments().unwrap().len(), written);
    }
}

#[test]
fn a_late_edit_after_submission_is_kept_as_an_amendment_flagged_for_review() {
    let (_da, a, _db, b, id) = two_devices();
    let now = crate::fixtures::now();
    a.submit_visit(id, now).unwrap();
    // The phone still holds the draft and changes the reaction, offline.
    let mut late = b.get_visit(id).unwrap().fields;
    late.reaction = Some(Reaction::Negative);
    b.update_visit(id, &late).unwrap();
    exchange(&b, &a, id);
    exchange(&a, &b, id);
    exchange(&b, &a, id);
    let (va, vb) = (a.get_visit(id).unwrap(), b.get_visit(id).unwrap());
    assert_eq!(
        va.fields.reaction,
        Some(Reaction::Negative),
        "the late edit is not lost"
    );
    assert_eq!(
        va.status,
        mrc_core::visit::VisitStatus::Amended,
        "nor silently taken as the original"
    );
    assert!(va.needs_review && vb.needs_review);
    assert_eq!(replicated(&va), replicated(&vb));
    assert_eq!(va.first_submitted_at, vb.first_submitted_at);
    assert_eq!(heads(&a, id), heads(&b, id));
}

#[test]
fn merging_a_submitted_visit_without_late_edits_needs_no_review() {
    let (_da, a, _db, b, id) = two_devices();
    a.submit_visit(id, crate::fixtures::now()).unwrap();
    exchange(&a, &b, id);
    let vb = b.get_visit(id).unwrap();
    assert_eq!(vb.status, mrc_core::visit::VisitStatus::Submitted);
    assert!(!vb.needs_review);
}

#[test]
fn two_devices_amending_a_submitted_visit_offline_keep_both_amendments() {
    let (_da, a, _db, b, id) = two_devices();
    let now = crate::fixtures::now();
    a.submit_visit(id, now).unwrap();
    exchange(&a, &b, id);
    // Tablet and phone each amend it, offline, with their own reason.
    let mut on_a = a.get_visit(id).unwrap().fields;
    on_a.duration_min = Some(25);
    a.amend_visit(id, &on_a, "面談時間の入力誤り", now).unwrap();
    let mut on_b = b.get_visit(id).unwrap().fields;
    on_b.reaction = Some(Reaction::Neutral);
    b.amend_visit(id, &on_b, "反応の入力誤り", now + chrono::Duration::minutes(1))
        .unwrap();
    exchange(&a, &b, id);
    exchange(&b, &a, id);
    for store in [&a, &b] {
        let visit = store.get_visit(id).unwrap();
        assert_eq!(visit.amendment_count, 2, "both amendments are kept");
        assert_eq!(visit.fields.duration_min, Some(25));
        assert_eq!(visit.fields.reaction, Some(Reaction::Neutral));
        let doc = VisitDoc::load(&store.export_visit(id).unwrap(), store.actor().clone()).unwrap();
        let reasons: Vec<String> = doc
            .state()
            .unwrap()
            .amendments
            .into_iter()
            .map(|a| a.reason)
            .collect();
        assert_eq!(reasons, ["面談時間の入力誤り", "反応の入力誤り"]);
    }
    assert_eq!(heads(&a, id), heads(&b, id));
}
