//! `mrc doctor`: the pre-visit screen from a visit with insights, in text and JSON.

use crate::support::{json, stdout, Scratch, MASTER};

const MATERIAL: &str = r#"{"materials": [
  {"id": "M9", "version": 1, "title": "グルコバランス 腎機能別用量早見表", "product_id": "P1", "approval_code": "MRC-2026-0901",
   "valid_from": "2026-04-01", "valid_until": "2027-03-31", "status": "approved",
   "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "size": 10,
   "topics": ["dosing_renal"]}]}"#;

const VISIT_WITH_INSIGHTS: &str = r#"{"rep_id":"R1","hcp_id":"H1","institution_id":"I1","channel":"in_person",
  "started_at":"2026-11-20T10:00:00+09:00","duration_min":15,"products":[{"product_id":"P1","priority":1}],
  "reaction":"positive","next_objective":"用量の説明","notes":"透析患者での用量について質問あり。",
  "insights":{"stages":[{"product_id":"P1","stage":"trial"}],
              "needs":[{"topic":"dosing_renal","product_id":"P1"}],
              "questions":[{"id":"q1","text":"透析患者での用量は？","topic":"dosing_renal","status":"open"}],
              "safety":[{"id":"s1","text":"服用後にめまいを訴えた患者が1例","product_id":"P1"}]}}"#;

#[test]
fn the_doctor_screen_shows_the_profile_and_suggests_the_material_answering_the_open_need() {
    let s = Scratch::new();
    let now = "2026-11-21T09:00:00+09:00";
    s.mrc(&["--now", now, "import", &s.file("master.json", MASTER)]);
    s.mrc(&["--now", now, "import", &s.file("material.json", MATERIAL)]);
    s.mrc(&[
        "--now",
        now,
        "visit",
        "add",
        &s.file("visit.json", VISIT_WITH_INSIGHTS),
    ]);

    let screen = json(&s.mrc(&["--json", "--now", now, "doctor", "H1"]));
    assert_eq!(screen["profile"]["stages"][0]["stage"], "trial");
    assert_eq!(screen["profile"]["open_needs"][0]["topic"], "dosing_renal");
    assert_eq!(
        screen["profile"]["safety_pending"][0]["mention"]["text"],
        "服用後にめまいを訴えた患者が1例"
    );
    assert_eq!(screen["suggestions"][0]["material_id"], "M9");

    let text = stdout(&s.mrc(&["--now", now, "doctor", "H1"]));
    for expected in [
        "佐藤 健一（さとう けんいち） H1 — 訪問 1件 / 1 visits",
        "P1: 試用 Trial（2026-11-20〜）",
        "[open] 透析患者での用量は？（2026-11-20）",
        "1. M9 v1 グルコバランス 腎機能別用量早見表（P1）",
    ] {
        assert!(text.contains(expected), "{expected} in:\n{text}");
    }
}
