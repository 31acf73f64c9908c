//! The pre-visit screen: a doctor's profile from the visits on the device, and the materials to suggest.

use chrono::{DateTime, Duration, FixedOffset, Utc};
use ed25519_dalek::SigningKey;
use mrc_core::{
    nfc::{
        card::{signed_card_url, Claim},
        ndef::{encode_message, uri_record, NdefInput},
    },
    visit::{
        DoctorQuestion, InformationNeed, MaterialShown, ProductStage, QuestionStatus, SafetyMention,
        VisitFields, VisitInsights,
    },
    Store,
};

use crate::fixtures;

/// Two more materials of P1: a renal dosing chart (current) and its expired predecessor; M1 answers efficacy.
const CATALOG: &str = r#"{"materials": [
  {"id": "M1", "version": 2, "title": "グルコバランス 製品情報概要", "product_id": "P1", "approval_code": "MRC-2026-0142",
   "valid_from": "2026-04-01", "valid_until": "2027-03-31", "status": "approved",
   "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "size": 1048576,
   "topics": ["efficacy", "safety"]},
  {"id": "M4", "version": 1, "title": "グルコバランス 腎機能別用量早見表", "product_id": "P1", "approval_code": "MRC-2025-0301",
   "valid_from": "2025-04-01", "valid_until": "2026-03-31", "status": "approved",
   "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "size": 10,
   "topics": ["dosing_renal"]},
  {"id": "M4", "version": 2, "title": "グルコバランス 腎機能別用量早見表 第2版", "product_id": "P1", "approval_code": "MRC-2026-0302",
   "valid_from": "2026-04-01", "valid_until": "2027-03-31", "status": "approved",
   "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "size": 10,
   "topics": ["dosing_renal", "dosing_hepatic"]},
  {"id": "M5", "version": 1, "title": "カルディオン 医療経済データ集", "product_id": "P2", "approval_code": "MRC-2026-0401",
   "valid_from": "2026-04-01", "valid_until": "2027-03-31", "status": "withdrawn",
   "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "size": 10,
   "topics": ["price_cost"]}
]}"#;

fn setup() -> (tempfile::TempDir, Store) {
    let (dir, store) = fixtures::store();
    store.import_master_json(CATALOG).unwrap();
    (dir, store)
}

/// A visit to 佐藤 先生 `weeks_ago` weeks before the fixtures' visit, showing `materials`, with `insights`.
fn visit(
    store: &Store,
    weeks_ago: i64,
    materials: &[(&str, u32)],
    insights: VisitInsights,
) -> mrc_core::VisitId {
    let mut form: VisitFields = fixtures::form();
    form.started_at = form.started_at.map(|t| t - Duration::weeks(weeks_ago));
    form.materials_shown = (materials.iter())
        .map(|(id, version)| MaterialShown {
            material_id: (*id).into(),
            version: *version,
        })
        .collect();
    form.insights = insights;
    store.create_visit(&form).unwrap()
}

fn stage(stage: &str) -> Vec<ProductStage> {
    vec![ProductStage {
        product_id: "P1".into(),
        stage: stage.into(),
    }]
}

fn need(topic: &str) -> InformationNeed {
    InformationNeed {
        topic: topic.into(),
        product_id: Some("P1".into()),
    }
}

fn question(id: &str, status: QuestionStatus) -> DoctorQuestion {
    DoctorQuestion {
        id: id.into(),
        text: "eGFR 30未満での用量は？".into(),
        topic: Some("dosing_renal".into()),
        product_id: Some("P1".into()),
        off_label: false,
        status,
    }
}

fn at(weeks_ago: i64) -> DateTime<Utc> {
    (fixtures::form().started_at.unwrap() - Duration::weeks(weeks_ago)).to_utc()
}

#[test]
fn the_profile_follows_the_doctors_visits_in_order() {
    let (_d, store) = setup();
    visit(
        &store,
        8,
        &[("M1", 2)],
        VisitInsights {
            stages: stage("aware"),
            needs: vec![need("efficacy"), need("dosing_renal")],
            questions: vec![question("q1", QuestionStatus::Open)],
            ..VisitInsights::default()
        },
    );
    visit(
        &store,
        4,
        &[],
        VisitInsights {
            stages: stage("trial"),
            needs: vec![need("dosing_renal")],
            questions: vec![question("q2", QuestionStatus::Routed)],
            safety: vec![SafetyMention {
                id: "s1".into(),
                text: "投与後にめまいを訴えた患者が1例".into(),
                product_id: Some("P1".into()),
                forwarded: false,
            }],
        },
    );
    visit(
        &store,
        2,
        &[],
        VisitInsights {
            stages: stage("trial"),
            questions: vec![question("q1", QuestionStatus::Answered)],
            ..VisitInsights::default()
        },
    );

    let profile = store.doctor_profile("H1").unwrap();
    assert_eq!(profile.visits, 3);
    let p1 = &profile.stages[0];
    assert_eq!(
        (p1.stage.as_str(), p1.previous.as_deref(), p1.since),
        ("trial", Some("aware"), at(4)),
        "a stage recorded again keeps the date it was reached"
    );
    // Efficacy was answered by M1, shown in the visit that raised it; renal dosing was raised twice, never answered.
    let needs: Vec<(&str, u32)> = profile
        .open_needs
        .iter()
        .map(|n| (n.topic.as_str(), n.raised))
        .collect();
    assert_eq!(needs, [("dosing_renal", 2)]);
    assert_eq!(profile.open_needs[0].last_raised, at(4));
    let questions: Vec<(&str, QuestionStatus)> = (profile.open_questions.iter())
        .map(|q| (q.question.id.as_str(), q.question.status))
        .collect();
    assert_eq!(
        questions,
        [("q2", QuestionStatus::Routed)],
        "q1 was answered at a later visit"
    );
    assert_eq!(profile.safety_pending.len(), 1);
    assert_eq!(profile.safety_pending[0].mentioned, at(4));
    assert_eq!(profile.materials.len(), 1);
    assert_eq!((profile.materials[0].shown, profile.materials[0].tapped), (1, 0));
    let last: Vec<DateTime<Utc>> = profile.last_visits.iter().map(|v| v.started_at).collect();
    assert_eq!(last, [at(2), at(4), at(8)], "newest first");

    // A later visit showing the renal chart answers the renal need.
    visit(&store, 1, &[("M4", 2)], VisitInsights::default());
    let profile = store.doctor_profile("H1").unwrap();
    assert_eq!(profile.open_needs, []);

    let nobody = store.doctor_profile("H404").unwrap();
    assert_eq!(
        (nobody.visits, nobody.stages.len(), nobody.last_visits.len()),
        (0, 0, 0)
    );
}

#[test]
fn suggestions_are_current_approved_materials_answering_open_needs_ranked() {
    let (_d, store) = setup();
    visit(
        &store,
        3,
        &[("M1", 2)],
        VisitInsights {
            stages: stage("interested"),
            needs: vec![need("dosing_renal"), need("price_cost")],
            ..VisitInsights::default()
        },
    );
    let now = fixtures::now();
    let suggestions = store.pull_suggestions("H1", now).unwrap();
    let ids: Vec<(&str, u32, u32)> = (suggestions.iter())
        .map(|s| (s.material_id.as_str(), s.version, s.rank))
        .collect();
    // M4 v2 answers renal dosing (10), is new to the doctor (3), and P1 can move up (2). M1 answers no open need
    // and was shown. M5 is withdrawn, M4 v1 expired.
    assert_eq!(ids, [("M4", 2, 15)]);
    assert_eq!(suggestions[0].answers, ["dosing_renal"]);
    assert_eq!(suggestions[0].stage.as_deref(), Some("interested"));
    assert!(suggestions[0].new_to_doctor);

    // After the chart was shown the need is answered: nothing left to suggest but what P1's stage invites.
    visit(&store, 1, &[("M4", 2)], VisitInsights::default());
    assert_eq!(store.pull_suggestions("H1", now).unwrap(), []);
}

#[test]
fn a_genuine_tap_counts_and_a_forged_one_does_not() {
    let (_d, store) = setup();
    let key = SigningKey::from_bytes(&[42; 32]);
    store.put_card_key(1, &key.verifying_key().to_bytes()).unwrap();
    let id = visit(&store, 0, &[("M1", 2)], VisitInsights::default());
    let claim = Claim {
        key_id: 1,
        card_id: 1001,
        material_id: "M1".into(),
        material_version: 2,
        issued_on: chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
        expires_on: chrono::NaiveDate::from_ymd_opt(2027, 10, 31).unwrap(),
    };
    let genuine = signed_card_url("tap.example.jp", &claim, &key).unwrap();
    let forged = signed_card_url("tap.example.jp", &claim, &SigningKey::from_bytes(&[7; 32])).unwrap();
    let when: DateTime<FixedOffset> = DateTime::parse_from_rfc3339("2026-11-20T10:05:00+09:00").unwrap();
    for url in [genuine, forged] {
        let bytes = encode_message(&[uri_record(&url)]).unwrap();
        store
            .handle_tap(NdefInput::Bytes(&bytes), when, Some(id))
            .unwrap();
    }
    let seen = &store.doctor_profile("H1").unwrap().materials[0];
    assert_eq!((seen.shown, seen.tapped), (1, 1));
}
