//! Every foundation command, its JSON output, and its refusals.

use crate::support::{json, run, stderr, stdout, Scratch, MASTER, VISIT};

#[test]
fn import_add_show_list_as_json() {
    let s = Scratch::new();
    let master = s.file("master.json", MASTER);
    let imported = json(&s.mrc(&["--json", "import", &master]));
    assert_eq!(imported["hcps"], 1);
    let visit = s.file("visit.json", VISIT);
    let added = json(&s.mrc(&["--json", "visit", "add", &visit]));
    let id = added["id"].as_str().unwrap().to_owned();
    let shown = json(&s.mrc(&["--json", "visit", "show", &id]));
    assert_eq!(shown["notes"], "先生は新データに関心😊");
    assert_eq!(shown["status"], "draft");
    let today = json(&s.mrc(&[
        "--json",
        "visit",
        "list",
        "--today",
        "--now",
        "2026-11-20T18:00:00+09:00",
    ]));
    assert_eq!(today.as_array().unwrap().len(), 1);
    let other_day = json(&s.mrc(&["--json", "visit", "list", "--now", "2026-11-21T09:00:00+09:00"]));
    assert!(other_day.as_array().unwrap().is_empty());
    let by_hcp = json(&s.mrc(&["--json", "visit", "list", "--hcp", "H1"]));
    assert_eq!(by_hcp[0]["id"], id.as_str());
    let range = json(&s.mrc(&[
        "--json",
        "visit",
        "list",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
    ]));
    assert_eq!(range.as_array().unwrap().len(), 1);
    let text = stdout(&s.mrc(&["visit", "show", &id]));
    assert!(text.contains("佐藤 健一 (さとう けんいち)"), "{text}");
}

#[test]
fn notes_set_export_and_merge_between_two_devices() {
    let tablet = Scratch::new();
    let phone = Scratch::new();
    let visit = tablet.file("visit.json", VISIT);
    let id = json(&tablet.mrc(&["--json", "visit", "add", &visit]))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let first = tablet.path("first.automerge");
    assert!(tablet
        .mrc(&["notes", "export", &id, "--out", first.to_str().unwrap()])
        .status
        .success());
    // The phone receives the visit, then both edit offline.
    assert!(phone
        .mrc(&["notes", "merge", &id, first.to_str().unwrap()])
        .status
        .success());
    assert!(tablet
        .mrc(&["notes", "set", &id, "--text", "先生は新データに強い関心😊"])
        .status
        .success());
    assert!(phone
        .mrc(&[
            "notes",
            "set",
            &id,
            "--text",
            "先生は新データに関心😊 次回は症例。"
        ])
        .status
        .success());
    let from_phone = phone.path("phone.automerge");
    assert!(phone
        .mrc(&["notes", "export", &id, "--out", from_phone.to_str().unwrap()])
        .status
        .success());
    let merged = json(&tablet.mrc(&["--json", "notes", "merge", &id, from_phone.to_str().unwrap()]));
    assert_eq!(merged["notes"], "先生は新データに強い関心😊 次回は症例。");
    assert_eq!(merged["outcome"]["changed"], true);
}

#[test]
fn refused_input_exits_1_with_one_sentence_naming_the_path() {
    let s = Scratch::new();
    let bad = s.file(
        "bad.json",
        &MASTER.replace(r#""lat": 35.5075"#, r#""lat": "北緯""#),
    );
    let out = s.mrc(&["import", &bad]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("/institutions/0/lat"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let visit = s.file("visit.json", r#"{"channel":"fax"}"#);
    let out = s.mrc(&["visit", "add", &visit]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("/channel"), "{}", stderr(&out));
    let out = s.mrc(&["visit", "show", "0191f2b4-6a1e-7c3d-9a51-3f0c2d4e5a6b"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no visit with id"), "{}", stderr(&out));
}

#[test]
fn usage_errors_exit_2() {
    let s = Scratch::new();
    assert_eq!(run(&["visit", "list"]).status.code(), Some(2), "--db missing");
    assert_eq!(
        s.mrc(&["visit", "show", "訪問"]).status.code(),
        Some(2),
        "not a UUID"
    );
    assert_eq!(s.mrc(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        s.mrc(&["visit", "list", "--from", "2026-11-01"]).status.code(),
        Some(2)
    );
}

#[test]
fn a_corrupt_database_is_moved_aside_with_a_warning() {
    let s = Scratch::new();
    std::fs::write(s.path("mrc.db"), "壊れたファイル".repeat(300)).unwrap();
    let out = s.mrc(&["init"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("moved to"), "{}", stderr(&out));
    let moved: Vec<_> = std::fs::read_dir(s.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("mrc.db.corrupt-"))
        .collect();
    assert_eq!(moved.len(), 1);
}

#[test]
fn a_comment_on_a_submitted_visit_shows_in_json_and_text() {
    let s = Scratch::new();
    s.mrc(&["import", &s.file("master.json", MASTER)]);
    let visit = s.file("visit.json", VISIT);
    let id = json(&s.mrc(&["--json", "visit", "add", &visit]))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let submitted = s.mrc(&["visit", "submit", &id, "--now", "2026-11-20T18:00:00+09:00"]);
    assert!(submitted.status.success(), "{}", stderr(&submitted));
    let before = json(&s.mrc(&["--json", "visit", "show", &id]));
    assert_eq!(before["comments"], serde_json::json!([]));

    let added = json(&s.mrc(&[
        "--json",
        "visit",
        "comment",
        &id,
        "--text",
        " 次回は用量の説明をお願いします。 ",
        "--author",
        "課長 山本",
        "--as",
        "manager",
    ]));
    assert_eq!(added["author_role"], "manager");
    let rep = s.mrc(&[
        "visit",
        "comment",
        &id,
        "--text",
        "承知しました。",
        "--author",
        "高橋 美咲",
    ]);
    assert!(stdout(&rep).contains("Comment added"), "{}", stderr(&rep));

    let shown = json(&s.mrc(&["--json", "visit", "show", &id]));
    let comments = shown["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[0]["text"], "次回は用量の説明をお願いします。");
    assert_eq!(comments[0]["author"], "課長 山本");
    assert_eq!(comments[1]["author_role"], "rep");
    assert_eq!(shown["status"], "submitted", "a comment is not an amendment");
    assert_eq!(shown["needs_review"], false);
    assert_eq!(shown["score"], before["score"]);
    let text = stdout(&s.mrc(&["visit", "show", &id]));
    assert!(text.contains("コメント Comments"), "{text}");
    assert!(
        text.contains("課長 山本 (manager): 次回は用量の説明をお願いします。"),
        "{text}"
    );

    let empty = s.mrc(&["visit", "comment", &id, "--text", "　", "--author", "課長 山本"]);
    assert_eq!(empty.status.code(), Some(1));
    assert!(
        stderr(&empty).contains("コメントを入力してください。"),
        "{}",
        stderr(&empty)
    );
    assert!(stderr(&empty).contains("comment_empty"), "{}", stderr(&empty));
    let bad_role = s.mrc(&[
        "visit",
        "comment",
        &id,
        "--text",
        "確認",
        "--author",
        "本部",
        "--as",
        "head_office",
    ]);
    assert_eq!(bad_role.status.code(), Some(2));
}

#[test]
fn a_reader_that_stops_reading_ends_the_command_quietly() {
    let s = Scratch::new();
    s.mrc(&["import", &s.file("master.json", MASTER)]);
    s.mrc(&["visit", "add", &s.file("visit.json", VISIT)]);
    // `mrc --json visit list | head -0`: the reading end is closed before mrc writes.
    let db = s.db();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mrc"))
        .env("MRC_NOW", crate::support::NOW)
        .args(["--db", &db, "--json", "visit", "list", "--hcp", "H1"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}
