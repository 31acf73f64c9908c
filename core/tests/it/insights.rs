//! Doctor insights in the visit: they merge entry by entry between devices, are checked against the catalog and the
//! visit's products, and read back from the projection.

use mrc_core::{
    validate::Code,
    visit::{
        DoctorQuestion, InformationNeed, ProductDiscussed, ProductStage, QuestionStatus, SafetyMention,
        VisitDoc, VisitFields, VisitInsights,
    },
    Store, VisitId,
};

use crate::fixtures::{self, now};

fn stage(product: &str, stage: &str) -> ProductStage {
    ProductStage {
        product_id: product.into(),
        stage: stage.into(),
    }
}

fn need(topic: &str, product: Option<&str>) -> InformationNeed {
    InformationNeed {
        topic: topic.into(),
        product_id: product.map(Into::into),
    }
}

fn question(id: &str, text: &str, off_label: bool, status: QuestionStatus) -> DoctorQuestion {
    DoctorQuestion {
        id: id.into(),
        text: text.into(),
        topic: Some("dosing_renal".into()),
        product_id: Some("P1".into()),
        off_label,
        status,
    }
}

fn safety(id: &str, text: &str) -> SafetyMention {
    SafetyMention {
        id: id.into(),
        text: text.into(),
        product_id: Some("P1".into()),
        forwarded: false,
    }
}

/// A form discussing both products of the fixtures.
fn form_with_two_products() -> VisitFields {
    let mut form = fixtures::form();
    form.products.push(ProductDiscussed {
        product_id: "P2".into(),
        priority: 2,
    });
    form
}

fn heads(store: &Store, id: VisitId) -> Vec<String> {
    VisitDoc::load(&store.export_visit(id).unwrap(), store.actor().clone())
        .unwrap()
        .heads()
}

fn exchange(from: &Store, to: &Store, id: VisitId) {
    to.merge_visit_into(id, &from.export_visit(id).unwrap()).unwrap();
}

fn edit(store: &Store, id: VisitId, change: impl FnOnce(&mut VisitInsights)) {
    let mut form = store.get_visit(id).unwrap().fields;
    change(&mut form.insights);
    assert!(
        store.update_visit(id, &form).unwrap(),
        "the edit changed the visit"
    );
}

#[test]
fn two_devices_editing_insights_offline_lose_no_need_question_or_stage_change() {
    for tablet_first in [true, false] {
        let (_dt, tablet) = fixtures::store();
        let (_dp, phone) = fixtures::store();
        let mut form = form_with_two_products();
        form.insights.questions = vec![question(
            "q0",
            "透析患者での用量は？",
            false,
            QuestionStatus::Open,
        )];
        let id = tablet.create_visit(&form).unwrap();
        assert!(
            phone
                .merge_visit(&tablet.export_visit(id).unwrap())
                .unwrap()
                .created
        );

        // Offline on the tablet: a stage for P1, a need, a new question, and q0 answered.
        edit(&tablet, id, |i| {
            i.stages.push(stage("P1", "interested"));
            i.needs.push(need("dosing_renal", Some("P1")));
            i.questions.push(question(
                "q1",
                "腎機能低下例でのeGFR別の用量は？",
                false,
                QuestionStatus::Open,
            ));
            i.questions[0].status = QuestionStatus::Answered;
        });
        // Offline on the phone: a stage for P2, a general need, an off-label question routed to Medical, a
        // safety mention, and q0's topic changed.
        edit(&phone, id, |i| {
            i.stages.push(stage("P2", "trial"));
            i.needs.push(need("safety", None));
            i.questions.push(question(
                "q2",
                "小児への投与経験は？",
                true,
                QuestionStatus::Routed,
            ));
            i.questions[0].topic = Some("elderly".into());
            i.safety.push(safety(
                "s1",
                "投与開始後に肝機能値（ALT）が上昇した患者が1例いたとのこと",
            ));
        });

        if tablet_first {
            exchange(&tablet, &phone, id);
            exchange(&phone, &tablet, id);
        } else {
            exchange(&phone, &tablet, id);
            exchange(&tablet, &phone, id);
        }
        let (on_tablet, on_phone) = (tablet.get_visit(id).unwrap(), phone.get_visit(id).unwrap());
        assert_eq!(
            on_tablet.fields, on_phone.fields,
            "both devices show the same visit"
        );
        assert_eq!(heads(&tablet, id), heads(&phone, id));
        let insights = &on_tablet.fields.insights;
        assert_eq!(insights.stages, [stage("P1", "interested"), stage("P2", "trial")]);
        assert_eq!(
            insights.needs,
            [need("dosing_renal", Some("P1")), need("safety", None)]
        );
        let ids: Vec<&str> = insights.questions.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids, ["q0", "q1", "q2"]);
        let q0 = &insights.questions[0];
        assert_eq!(
            (q0.status, q0.topic.as_deref()),
            (QuestionStatus::Answered, Some("elderly")),
            "two devices changing different fields of one question keep both changes"
        );
        assert_eq!(
            insights.safety,
            [safety(
                "s1",
                "投与開始後に肝機能値（ALT）が上昇した患者が1例いたとのこと"
            )]
        );
        // What the document holds is what the projection shows.
        let doc = VisitDoc::load(&tablet.export_visit(id).unwrap(), tablet.actor().clone()).unwrap();
        assert_eq!(doc.insights().unwrap(), *insights);
    }
}

#[test]
fn the_same_products_stage_changed_on_two_devices_ends_the_same_on_both() {
    let (_dt, tablet) = fixtures::store();
    let (_dp, phone) = fixtures::store();
    let id = tablet.create_visit(&fixtures::form()).unwrap();
    phone.merge_visit(&tablet.export_visit(id).unwrap()).unwrap();
    edit(&tablet, id, |i| i.stages.push(stage("P1", "trial")));
    edit(&phone, id, |i| i.stages.push(stage("P1", "regular")));
    exchange(&tablet, &phone, id);
    exchange(&phone, &tablet, id);
    let (a, b) = (tablet.get_visit(id).unwrap(), phone.get_visit(id).unwrap());
    assert_eq!(a.fields.insights.stages.len(), 1);
    assert_eq!(a.fields.insights, b.fields.insights);
}

#[test]
fn removing_a_need_on_one_device_and_adding_another_on_the_other_keeps_both_edits() {
    let (_dt, tablet) = fixtures::store();
    let (_dp, phone) = fixtures::store();
    let mut form = fixtures::form();
    form.insights.needs = vec![need("efficacy", Some("P1")), need("price_cost", None)];
    let id = tablet.create_visit(&form).unwrap();
    phone.merge_visit(&tablet.export_visit(id).unwrap()).unwrap();
    edit(&tablet, id, |i| i.needs.retain(|n| n.topic != "price_cost"));
    edit(&phone, id, |i| i.needs.push(need("guidelines", None)));
    exchange(&tablet, &phone, id);
    exchange(&phone, &tablet, id);
    let expected = [need("efficacy", Some("P1")), need("guidelines", None)];
    assert_eq!(tablet.get_visit(id).unwrap().fields.insights.needs, expected);
    assert_eq!(phone.get_visit(id).unwrap().fields.insights.needs, expected);
}

/// The findings about the insights (the fixture's visit has others: no tap of its material).
fn codes(store: &Store, form: &VisitFields) -> Vec<(Code, String)> {
    let report = store.validate(None, form, None, now()).unwrap();
    (report.findings.into_iter())
        .filter(|f| f.field.starts_with("/insights/"))
        .map(|f| (f.code, f.field))
        .collect()
}

#[test]
fn insights_are_checked_against_the_catalog_and_the_visits_products() {
    let (_d, store) = fixtures::store();
    let mut form = fixtures::form();
    form.insights = VisitInsights {
        stages: vec![stage("P1", "interested")],
        needs: vec![need("dosing_renal", Some("P1")), need("safety", None)],
        questions: vec![question(
            "q1",
            "腎機能低下例での用量は？",
            true,
            QuestionStatus::Routed,
        )],
        safety: vec![safety("s1", "めまいが出た患者がいた")],
    };
    assert_eq!(codes(&store, &form), [], "a well-coded visit has no finding");
    let report = store.validate(None, &form, None, now()).unwrap();
    assert!(report.ok);

    form.insights.stages = vec![stage("P1", "試用中"), stage("P2", "trial")];
    form.insights.needs.push(need("dosing", None));
    form.insights.questions[0].status = QuestionStatus::Answered;
    form.insights.safety[0].text = "  ".into();
    form.normalize();
    let found = codes(&store, &form);
    let has = |code: Code, field: &str| found.contains(&(code, field.to_owned()));
    assert!(
        has(Code::UnknownInsightCode, "/insights/stages/0/stage"),
        "{found:?}"
    );
    assert!(
        has(Code::InsightProductNotDiscussed, "/insights/stages/1/product_id"),
        "{found:?}"
    );
    assert!(
        has(Code::UnknownInsightCode, "/insights/needs/0/topic"),
        "{found:?}"
    );
    assert!(
        has(Code::OffLabelAnswered, "/insights/questions/0/status"),
        "{found:?}"
    );
    assert!(has(Code::Required, "/insights/safety/0/text"), "{found:?}");
    let report = store.validate(None, &form, None, now()).unwrap();
    assert!(
        !report.ok,
        "an off-label question answered by the rep blocks submission"
    );
    let ja = report
        .findings
        .iter()
        .find(|f| f.code == Code::OffLabelAnswered)
        .map(|f| f.message_ja.clone());
    assert_eq!(
        ja.as_deref(),
        Some("適応外の質問にはMRは回答できません。メディカル部門へ回付してください。")
    );
}

#[test]
fn how_insights_are_coded_does_not_move_the_reliability_score() {
    let (_d, store) = fixtures::store();
    let clean = store
        .validate(None, &fixtures::form(), None, now())
        .unwrap()
        .score;
    let mut form = fixtures::form();
    form.insights.stages = vec![stage("P9", "未定義")];
    form.insights.questions = vec![question(
        "q1",
        "適応外の使い方は？",
        true,
        QuestionStatus::Answered,
    )];
    let report = store.validate(None, &form, None, now()).unwrap();
    assert!(!report.ok);
    assert_eq!(report.score, clean);
}

#[test]
fn master_data_replaces_the_built_in_ladder_and_taxonomy() {
    let (_d, store) = fixtures::store();
    let builtin = store.insight_catalog().unwrap();
    assert_eq!(builtin.stages.first().map(|s| s.name_ja.as_str()), Some("未認知"));
    assert_eq!(builtin.stages.last().map(|s| s.name_ja.as_str()), Some("推奨"));
    assert!(builtin.has_topic("dosing_renal"));

    store
        .import_master_json(
            r#"{"adoption_stages": [
                  {"code": "none", "rank": 1, "name_ja": "未処方", "name_en": "Not prescribing"},
                  {"code": "some", "rank": 2, "name_ja": "一部処方", "name_en": "Some patients"}],
                "topics": [{"code": "renal", "name_ja": "腎機能", "name_en": "Renal function"}]}"#,
        )
        .unwrap();
    let catalog = store.insight_catalog().unwrap();
    let codes: Vec<&str> = catalog.stages.iter().map(|s| s.code.as_str()).collect();
    assert_eq!(codes, ["none", "some"]);
    assert!(catalog.has_topic("renal") && !catalog.has_topic("dosing_renal"));

    let mut form = fixtures::form();
    form.insights.stages = vec![stage("P1", "trial")];
    form.insights.needs = vec![need("renal", None)];
    let found = codes_of(&store, &form);
    assert_eq!(
        found,
        [Code::UnknownInsightCode],
        "`trial` is no longer on the ladder"
    );

    let refused =
        store.import_master_json(r#"{"topics": [{"code": "a|b", "name_ja": "腎", "name_en": "x"}]}"#);
    assert!(
        refused.is_err(),
        "a topic code with the need key's separator is refused"
    );
}

fn codes_of(store: &Store, form: &VisitFields) -> Vec<Code> {
    codes(store, form).into_iter().map(|(code, _)| code).collect()
}

#[test]
fn insights_read_back_from_the_store_and_a_visit_without_them_writes_the_json_it_wrote_before() {
    let (_d, store) = fixtures::store();
    let plain = store.create_visit(&fixtures::form()).unwrap();
    let json = serde_json::to_value(store.get_visit(plain).unwrap()).unwrap();
    assert!(
        json.get("insights").is_none(),
        "no `insights` key without insights: {json}"
    );

    let mut form = fixtures::form();
    form.insights.needs = vec![need("efficacy", Some("P1"))];
    form.insights.questions = vec![question(
        "q1",
        "HbA1cの低下幅は？",
        false,
        QuestionStatus::Answered,
    )];
    let id = store.create_visit(&form).unwrap();
    let stored = store.get_visit(id).unwrap();
    assert_eq!(stored.fields.insights, form.insights);
    let json = serde_json::to_value(&stored).unwrap();
    assert_eq!(json["insights"]["questions"][0]["text"], "HbA1cの低下幅は？");
}

#[test]
fn two_entries_that_would_be_stored_as_one_are_refused_and_change_nothing() {
    let (_d, store) = fixtures::store();
    let mut form = fixtures::form();
    form.insights.questions = vec![question(
        "q1",
        "透析患者での用量は？",
        false,
        QuestionStatus::Open,
    )];
    let id = store.create_visit(&form).unwrap();
    let before = store.get_visit(id).unwrap().fields;

    let mut twice = before.clone();
    twice
        .insights
        .questions
        .push(question("q1", "高齢者での用量は？", false, QuestionStatus::Open));
    let err = store.update_visit(id, &twice).unwrap_err();
    assert!(
        matches!(&err, mrc_core::visit::VisitError::Invalid(e) if e.path == "/insights/questions/1/id"),
        "{err}"
    );
    let mut blank = before.clone();
    blank.insights.safety = vec![safety(" ", "めまいが出た患者がいた")];
    assert!(store.update_visit(id, &blank).is_err());
    let mut two_stages = before.clone();
    two_stages.insights.stages = vec![stage("P1", "aware"), stage("P1", "trial")];
    assert!(store.create_visit(&two_stages).is_err());
    assert_eq!(store.get_visit(id).unwrap().fields, before, "nothing changed");
    assert_eq!(
        store
            .list_visits(&mrc_core::visit::VisitFilter::Hcp("H1".into()))
            .unwrap()
            .len(),
        1
    );
}
