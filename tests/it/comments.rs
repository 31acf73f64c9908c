//! Manager comments end to end: a real `mrc serve`, the rep's tablet and the manager's own device (its own store,
//! a manager token). The manager's comment reaches the rep; the manager's edit is refused and changes nothing.

use mrc_e2e::admin_token_args;

use crate::sync::{server_with_master, visit_json, Device};

#[test]
fn a_managers_comment_reaches_the_rep_and_a_managers_edit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with_master(dir.path());
    let tablet = Device::new(dir.path(), "tablet", &server, "R1");
    let boss = Device {
        db: dir.path().join("manager.db").to_string_lossy().into_owned(),
        token: admin_token_args(&server.data, &["--manager", "--rep", "R1", "--rep", "R2"]),
        server: server.url.clone(),
    };

    // The rep records and submits a visit, and syncs.
    tablet.sync();
    let file = dir.path().join("visit.json");
    std::fs::write(&file, visit_json("R1")).unwrap();
    let id = tablet.ok(&["visit", "add", &file.to_string_lossy()])["id"]
        .as_str()
        .unwrap()
        .to_owned();
    tablet.ok(&["visit", "submit", &id]);
    assert_eq!(tablet.sync()["pushed"], 1);
    let submitted = tablet.replicated(&id);
    assert_eq!(submitted["status"], "submitted");

    // The manager's device receives it, comments and syncs.
    assert_eq!(boss.sync()["pulled"], 1);
    boss.ok(&[
        "visit",
        "comment",
        &id,
        "--text",
        "次回は用量の説明をお願いします。",
        "--author",
        "課長 山本",
        "--as",
        "manager",
    ]);
    assert_eq!(boss.sync()["pushed"], 1);

    // The rep's tablet shows the comment; the visit is unchanged otherwise and not flagged.
    assert_eq!(tablet.sync()["pulled"], 1);
    let mut shown = tablet.replicated(&id);
    let comments = shown.as_object_mut().unwrap().remove("comments").unwrap();
    assert_eq!(comments.as_array().unwrap().len(), 1, "{comments}");
    assert_eq!(comments[0]["text"], "次回は用量の説明をお願いします。");
    assert_eq!(comments[0]["author"], "課長 山本");
    assert_eq!(comments[0]["author_role"], "manager");
    let mut before = submitted.clone();
    before.as_object_mut().unwrap().remove("comments");
    assert_eq!(
        shown, before,
        "fields, status, score and review flag are unchanged"
    );
    assert_eq!(shown["needs_review"], false);
    let text = String::from_utf8_lossy(&tablet.run(&["visit", "show", &id]).stdout).into_owned();
    assert!(
        text.contains("課長 山本 (manager): 次回は用量の説明をお願いします。"),
        "{text}"
    );

    // The manager's device changes the notes (through an amendment) and syncs: 403, nothing stored.
    let mut edited: serde_json::Value = serde_json::from_str(&visit_json("R1")).unwrap();
    edited["notes"] = "課長が書き換えたメモ".into();
    let edit_file = dir.path().join("edited.json");
    std::fs::write(&edit_file, edited.to_string()).unwrap();
    boss.ok(&[
        "visit",
        "amend",
        &id,
        "--reason",
        "課長による修正",
        &edit_file.to_string_lossy(),
    ]);
    let refused = boss.run(&["sync", "--server", &boss.server, "--token", &boss.token]);
    assert_eq!(refused.status.code(), Some(5), "forbidden");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("403"), "{stderr}");
    assert!(
        stderr.contains("retrying will not help") && !stderr.contains("try again"),
        "a refusal is not presented as retryable: {stderr}"
    );

    let again = tablet.sync();
    assert_eq!(again["pulled"], 0, "the server's document did not move: {again}");
    let after = tablet.replicated(&id);
    assert_eq!(after["notes"], submitted["notes"]);
    assert_eq!(after["status"], "submitted");
    assert_eq!(after["comments"].as_array().unwrap().len(), 1);
}
