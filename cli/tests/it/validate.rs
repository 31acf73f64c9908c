//! `mrc validate`, `visit submit`, `visit amend`: exit codes and JSON.

use crate::support::{json, stderr, Scratch, MASTER, VISIT};

#[test]
fn validate_prints_findings_and_exits_by_severity() {
    let s = Scratch::new();
    s.mrc(&["import", &s.file("master.json", MASTER)]);
    let visit = s.file("visit.json", VISIT);
    let ok = s.mrc(&["--json", "validate", "--now", "2026-11-20T12:00:00+09:00", &visit]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let report: serde_json::Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(report["ok"], true);
    assert_eq!(report["score"], 69, "no sign either way (no tap): the prior odds");

    let backdated = s.mrc(&["--json", "validate", "--now", "2026-12-20T12:00:00+09:00", &visit]);
    assert_eq!(backdated.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&backdated.stdout).unwrap();
    assert_eq!(report["ok"], false);
    let finding = &report["findings"][0];
    assert_eq!(finding["code"], "backdate_limit");
    assert_eq!(finding["field"], "/started_at");
    assert_eq!(finding["severity"], "error");
    assert!(finding["message_ja"].as_str().unwrap().contains("7日"));
    assert!(finding["message_en"].as_str().unwrap().contains("7 days"));

    let text = s.mrc(&["validate", "--now", "2026-12-20T12:00:00+09:00", &visit]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("backdate_limit"));

    let broken = s.file("broken.json", r#"{"duration_min": "十五分"}"#);
    let out = s.mrc(&["validate", &broken]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/duration_min"), "{}", stderr(&out));
}

#[test]
fn submit_locks_and_amend_records_the_reason() {
    let s = Scratch::new();
    s.mrc(&["import", &s.file("master.json", MASTER)]);
    let id = json(&s.mrc(&["--json", "visit", "add", &s.file("visit.json", VISIT)]))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let submitted = json(&s.mrc(&[
        "--json",
        "visit",
        "submit",
        &id,
        "--now",
        "2026-11-20T12:00:00+09:00",
    ]));
    assert_eq!(submitted["status"], "submitted");
    let edit = s.mrc(&["notes", "set", &id, "--text", "書き換え"]);
    assert_eq!(edit.status.code(), Some(1));
    assert!(stderr(&edit).contains("amendment"), "{}", stderr(&edit));
    let corrected = s.file(
        "corrected.json",
        &VISIT.replace("\"duration_min\":15", "\"duration_min\":25"),
    );
    let amended = json(&s.mrc(&[
        "--json",
        "visit",
        "amend",
        &id,
        "--reason",
        "面談時間の入力誤り",
        &corrected,
    ]));
    assert_eq!(amended["status"], "amended");
    let shown = json(&s.mrc(&["--json", "visit", "show", &id]));
    assert_eq!(shown["duration_min"], 25);
    assert_eq!(shown["amendment_count"], 1);
}
