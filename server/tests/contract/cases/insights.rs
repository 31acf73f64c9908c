//! Contract case of the doctor insights kept for head office: written with the rep's verdicts as visits arrive
//! and change, counted per day, stage, move and material, and listed while awaiting routing or forwarding.

use chrono::{DateTime, Duration, FixedOffset};
use mrc_core::visit::{
    DoctorQuestion, InformationNeed, MaterialShown, ProductDiscussed, ProductStage, QuestionStatus,
    SafetyMention, VisitFields, VisitInsights,
};
use mrc_server::{
    admin,
    store::{
        insights::{FactKind, StageMove},
        transact, Access,
    },
    verdicts, ServerStore,
};

use crate::support::*;

const MASTER: &str = r#"{"products":[{"id":"P1","name":"グルコバランス錠"},{"id":"P2","name":"カルディオン錠"}],
  "reps":[{"id":"R1","name":"高橋 美咲","products":["P1","P2"]},{"id":"R2","name":"伊藤 翔","products":["P1"]}]}"#;

fn start(days_ago: i64) -> DateTime<FixedOffset> {
    let jst = FixedOffset::east_opt(9 * 3600).unwrap();
    (now() - Duration::days(days_ago)).with_timezone(&jst)
}

fn visit(rep: &str, hcp: &str, days_ago: i64, shown: &[(&str, u32)], insights: VisitInsights) -> Device {
    Device::with_fields(VisitFields {
        rep_id: Some(rep.into()),
        hcp_id: Some(hcp.into()),
        started_at: Some(start(days_ago)),
        products: vec![ProductDiscussed {
            product_id: "P1".into(),
            priority: 1,
        }],
        materials_shown: (shown.iter())
            .map(|(id, version)| MaterialShown {
                material_id: (*id).into(),
                version: *version,
            })
            .collect(),
        notes: "腎機能低下例の用量について質問あり".into(),
        insights,
        ..VisitFields::default()
    })
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

fn off_label(id: &str, status: QuestionStatus) -> DoctorQuestion {
    DoctorQuestion {
        id: id.into(),
        text: "小児への投与は可能か".into(),
        topic: None,
        product_id: Some("P1".into()),
        off_label: true,
        status,
    }
}

pub fn insights_are_kept_with_the_verdicts_and_counted(store: &dyn ServerStore) {
    admin::import_master(store, MASTER).unwrap();
    // Doctor H1: aware → interested (after M1 v2 was shown) → trial; H2: interested, then back to aware.
    let mut h1_first = visit(
        "R1",
        "H1",
        30,
        &[("M1", 2)],
        VisitInsights {
            stages: stage("aware"),
            needs: vec![need("dosing_renal")],
            questions: vec![off_label("q1", QuestionStatus::Open)],
            ..VisitInsights::default()
        },
    );
    let mut h1_second = visit(
        "R1",
        "H1",
        20,
        &[],
        VisitInsights {
            stages: stage("interested"),
            needs: vec![need("dosing_renal"), need("efficacy")],
            safety: vec![SafetyMention {
                id: "s1".into(),
                text: "服用後にめまいを訴えた患者が1例".into(),
                product_id: Some("P1".into()),
                forwarded: false,
            }],
            ..VisitInsights::default()
        },
    );
    let mut h1_third = visit(
        "R1",
        "H1",
        10,
        &[],
        VisitInsights {
            stages: stage("trial"),
            ..VisitInsights::default()
        },
    );
    let mut h2_first = visit(
        "R2",
        "H2",
        25,
        &[],
        VisitInsights {
            stages: stage("interested"),
            questions: vec![off_label("q2", QuestionStatus::Routed)],
            ..VisitInsights::default()
        },
    );
    let mut h2_second = visit(
        "R2",
        "H2",
        5,
        &[],
        VisitInsights {
            stages: stage("aware"),
            ..VisitInsights::default()
        },
    );
    for d in [&mut h1_first, &mut h1_second, &mut h1_third] {
        d.sync(store, "R1");
    }
    for d in [&mut h2_first, &mut h2_second] {
        d.sync(store, "R2");
    }
    verdicts::catch_up(store, &server_clock()).unwrap();

    let (from, until) = (
        (now() - Duration::days(60)).timestamp_millis(),
        now().timestamp_millis() + 1,
    );
    let read = |store: &dyn ServerStore| {
        transact(store, Access::Read, |tx| {
            Ok((
                tx.need_counts(from, until)?,
                tx.stage_counts(until)?,
                tx.stage_moves(from, until)?,
                tx.move_materials(from, until)?,
                tx.awaiting(10)?,
            ))
        })
        .unwrap()
    };
    let (needs, stages, moves, materials, (awaiting, items)) = read(store);
    let renal: u64 = needs
        .iter()
        .filter(|n| n.topic == "dosing_renal")
        .map(|n| n.visits)
        .sum();
    assert_eq!((renal, needs.iter().map(|n| n.visits).sum::<u64>()), (2, 3));
    assert_eq!(
        needs[0].day,
        start(30).date_naive().to_string(),
        "days are local (JST)"
    );
    let latest: Vec<(&str, u64)> = stages.iter().map(|s| (s.stage.as_str(), s.doctors)).collect();
    assert_eq!(
        latest,
        [("aware", 1), ("trial", 1)],
        "each doctor's latest stage, by rank"
    );
    let mv = |from: &str, to: &str, up| StageMove {
        product_id: "P1".into(),
        from: from.into(),
        to: to.into(),
        up,
        moves: 1,
    };
    let mut moves = moves;
    moves.sort_by(|a, b| (&a.from, &a.to).cmp(&(&b.from, &b.to)));
    assert_eq!(
        moves,
        [
            mv("aware", "interested", true),
            mv("interested", "aware", false),
            mv("interested", "trial", true)
        ]
    );
    let shown: Vec<(&str, u32, u64)> = materials
        .iter()
        .map(|m| (m.material_id.as_str(), m.version, m.moves_up))
        .collect();
    assert_eq!(
        shown,
        [("M1", 2, 1)],
        "M1 v2 was shown at the visit before H1 moved up"
    );
    assert_eq!(
        awaiting, 2,
        "q1 is off-label and not routed, s1 not forwarded; q2 was routed"
    );
    let kinds: Vec<FactKind> = items.iter().map(|a| a.kind).collect();
    assert_eq!(kinds, [FactKind::Question, FactKind::Safety], "oldest first");
    // Past the forwarding deadline: safety information not forwarded from a visit started before the cutoff.
    let overdue = |store: &dyn ServerStore, before: i64| {
        transact(store, Access::Read, |tx| Ok(tx.safety_overdue(before)?)).unwrap()
    };
    let s1_at = items[1].started_at_ms.unwrap();
    assert_eq!(
        (overdue(store, s1_at), overdue(store, s1_at + 1)),
        (0, 1),
        "s1 is late once the cutoff passes its visit's start; q1 is a question, not safety information"
    );

    // The rep routes q1 and forwards s1: after the next sync and audit, nothing awaits.
    let mut fields = h1_first.doc.state().unwrap().fields;
    fields.insights.questions[0].status = QuestionStatus::Routed;
    h1_first.doc.apply_fields(&fields).unwrap();
    h1_first.doc.commit(now());
    let mut fields = h1_second.doc.state().unwrap().fields;
    fields.insights.safety[0].forwarded = true;
    h1_second.doc.apply_fields(&fields).unwrap();
    h1_second.doc.commit(now());
    h1_first.sync(store, "R1");
    h1_second.sync(store, "R1");
    verdicts::catch_up(store, &server_clock()).unwrap();
    let (_, _, _, _, (awaiting, items)) = read(store);
    assert_eq!((awaiting, items.len()), (0, 0));
    assert_eq!(overdue(store, until), 0, "forwarded: no longer late");
}
