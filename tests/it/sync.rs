//! Sync end to end with real processes: `mrc serve` and several device stores driven through `mrc`.

use std::process::Output;

use mrc_e2e::{mrc, Server};

pub(crate) const MASTER: &str = r#"{
  "products": [{"id": "P1", "name": "グルコバランス錠"}],
  "reps": [{"id": "R1", "name": "高橋 美咲", "products": ["P1"]}, {"id": "R2", "name": "伊藤 大輔", "products": ["P1"]}],
  "institutions": [{"id": "I1", "name": "横浜港北総合病院", "address": "神奈川県横浜市港北区新横浜2-5-3", "lat": 35.5075, "lon": 139.6177}],
  "hcps": [{"id": "H1", "name": "佐藤 健一", "kana": "さとう けんいち", "specialty": "糖尿病内科", "institution_id": "I1"}],
  "materials": []
}"#;

pub(crate) fn visit_json(rep: &str) -> String {
    format!(
        r#"{{"rep_id":"{rep}","hcp_id":"H1","institution_id":"I1","channel":"in_person",
        "started_at":"2026-11-20T10:00:00+09:00","duration_min":15,"products":[{{"product_id":"P1","priority":1}}],
        "materials_shown":[],"reaction":"positive","next_objective":"用量の説明",
        "notes":"佐藤先生は新しい臨床データに関心を示された。次回は用量を説明する。"}}"#
    )
}

pub(crate) struct Device {
    pub(crate) db: String,
    pub(crate) token: String,
    pub(crate) server: String,
}

impl Device {
    pub(crate) fn new(dir: &std::path::Path, name: &str, server: &Server, rep: &str) -> Device {
        Device {
            db: dir.join(format!("{name}.db")).to_string_lossy().into_owned(),
            token: server.token(rep),
            server: server.url.clone(),
        }
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        let mut all = vec!["--db", self.db.as_str()];
        all.extend_from_slice(args);
        mrc(&all).output().unwrap()
    }

    pub(crate) fn ok(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(
            out.status.success(),
            "mrc {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// Syncs, the token passed the safe way (`MRC_TOKEN`, never on the command line).
    pub(crate) fn sync(&self) -> serde_json::Value {
        let out = mrc(&["--db", &self.db, "--json", "sync", "--server", &self.server])
            .env("MRC_TOKEN", &self.token)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "mrc sync: {stderr}");
        assert!(!stderr.contains("warning"), "{stderr}");
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// Everything replicated about one visit (not this device's `updated_at`).
    pub(crate) fn replicated(&self, id: &str) -> serde_json::Value {
        let mut v = self.ok(&["visit", "show", id]);
        v.as_object_mut().unwrap().remove("updated_at");
        v
    }
}

pub(crate) fn server_with_master(dir: &std::path::Path) -> Server {
    let data = dir.join("server");
    std::fs::create_dir_all(&data).unwrap();
    let master = dir.join("master.json");
    std::fs::write(&master, MASTER).unwrap();
    let out = mrc(&[
        "admin",
        "import",
        "--data",
        &data.to_string_lossy(),
        &master.to_string_lossy(),
    ])
    .output()
    .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Server::start(&data)
}

#[test]
fn two_devices_edit_offline_and_converge_through_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with_master(dir.path());
    let tablet = Device::new(dir.path(), "tablet", &server, "R1");
    let phone = Device::new(dir.path(), "phone", &server, "R1");
    let first = tablet.sync();
    assert_eq!(
        first["master_updated"], true,
        "master data arrives with the first sync"
    );

    let file = dir.path().join("visit.json");
    std::fs::write(&file, visit_json("R1")).unwrap();
    let id = tablet.ok(&["visit", "add", &file.to_string_lossy()])["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let pushed = tablet.sync();
    assert_eq!(pushed["pushed"], 1);
    assert_eq!(pushed["round_trips"], 1);

    let pulled = phone.sync();
    assert_eq!(pulled["pulled"], 1);
    assert_eq!(phone.replicated(&id), tablet.replicated(&id));

    // Both offline: the same sentence edited on each.
    tablet.ok(&[
        "notes",
        "set",
        &id,
        "--text",
        "佐藤先生（糖尿病内科）は新しい臨床データに関心を示された。次回は用量を説明する。",
    ]);
    phone.ok(&[
        "notes",
        "set",
        &id,
        "--text",
        "佐藤先生は新しい臨床試験のデータに関心を示された。次回は用量を説明する。📄",
    ]);
    tablet.sync();
    phone.sync();
    tablet.sync();
    let merged = tablet.replicated(&id);
    assert_eq!(phone.replicated(&id), merged);
    let notes = merged["notes"].as_str().unwrap();
    assert!(
        notes.contains("（糖尿病内科）") && notes.contains("臨床試験の") && notes.ends_with("📄"),
        "{notes}"
    );

    // Nothing changed: one request, small both ways.
    let idle = tablet.sync();
    assert_eq!(idle["round_trips"], 1);
    assert_eq!(idle["pushed"], 0);
    assert!(
        idle["bytes_up"].as_u64().unwrap() + idle["bytes_down"].as_u64().unwrap() < 2048,
        "{idle}"
    );
}

#[test]
fn a_rep_never_sees_or_writes_another_reps_visits() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with_master(dir.path());
    let mine = Device::new(dir.path(), "r1", &server, "R1");
    let other = Device::new(dir.path(), "r2", &server, "R2");
    mine.sync();
    other.sync();
    let file = dir.path().join("visit.json");
    std::fs::write(&file, visit_json("R1")).unwrap();
    mine.ok(&["visit", "add", &file.to_string_lossy()]);
    mine.sync();
    other.sync();
    assert!(
        other
            .ok(&["visit", "list", "--hcp", "H1"])
            .as_array()
            .unwrap()
            .is_empty(),
        "R2 sees nothing of R1"
    );

    // R2's device holds a visit claiming to be R1's: the server refuses the whole request, nothing changes.
    let forged = other.ok(&["visit", "add", &file.to_string_lossy()])["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let out = other.run(&["sync", "--server", &other.server, "--token", &other.token]);
    assert_eq!(out.status.code(), Some(5), "forbidden");
    let answer = failure(&other.run(&[
        "--json",
        "sync",
        "--server",
        &other.server,
        "--token",
        &other.token,
    ]));
    assert_eq!(answer["kind"], "forbidden", "{answer}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("403"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = mine.sync();
    assert_eq!(after["pulled"], 0, "R1 received nothing from R2's refused push");
    let shown = mine.run(&["visit", "show", &forged]);
    assert_eq!(shown.status.code(), Some(1), "the forged visit never reached R1");
}

/// The JSON answer of a sync that stopped: `{"ok": false, "kind": …, "message": …}` on stdout.
fn failure(out: &Output) -> serde_json::Value {
    assert!(!out.status.success());
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["ok"], false, "{answer}");
    assert!(
        answer["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{answer}"
    );
    answer
}

#[test]
fn a_sync_without_an_answer_says_offline_by_exit_code_and_json_and_keeps_the_visit() {
    let dir = tempfile::tempdir().unwrap();
    let device = Device {
        db: dir.path().join("tablet.db").to_string_lossy().into_owned(),
        token: "token-of-a-server-that-is-not-there".into(),
        server: "http://127.0.0.1:9".into(),
    };
    let file = dir.path().join("visit.json");
    std::fs::write(&file, visit_json("R1")).unwrap();
    let id = device.ok(&["visit", "add", &file.to_string_lossy()])["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let out = mrc(&["--db", &device.db, "--json", "sync", "--server", &device.server])
        .env("MRC_TOKEN", &device.token)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "offline");
    assert_eq!(failure(&out)["kind"], "offline");
    assert!(String::from_utf8_lossy(&out.stderr).contains("同期できませんでした"));
    assert_eq!(
        device.ok(&["visit", "show", &id])["notes"],
        serde_json::from_str::<serde_json::Value>(&visit_json("R1")).unwrap()["notes"]
    );
}

#[test]
fn a_server_killed_mid_sync_loses_nothing_and_the_next_sync_completes() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = server_with_master(dir.path());
    // The sample territory's rep.
    let tablet = Device::new(dir.path(), "tablet", &server, "REP-001");
    tablet.sync();
    // A year of visits to push: long enough to kill the server while it writes.
    let seeded = tablet.ok(&[
        "seed",
        "--reps",
        "1",
        "--hcps",
        "60",
        "--institutions",
        "12",
        "--days",
        "365",
    ]);
    let total = seeded["visits"].as_u64().unwrap();
    let data = server.data.clone();
    let url = server.url.clone();
    let mut sync = mrc(&[
        "--db",
        &tablet.db,
        "sync",
        "--server",
        &url,
        "--token",
        &tablet.token,
    ])
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::null())
    .spawn()
    .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    server.kill();
    let _ = sync.wait();
    // The server's database is consistent after SIGKILL.
    let conn = rusqlite::Connection::open(data.join("server.db")).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);
    // Restarted (on a new port): the next sync completes and a new device receives every visit.
    let server = Server::start(&data);
    let tablet = Device {
        server: server.url.clone(),
        ..tablet
    };
    let resumed = tablet.sync();
    assert!(resumed["round_trips"].as_u64().unwrap() >= 1);
    let again = tablet.sync();
    assert_eq!(again["pushed"], 0, "everything was pushed");
    let fresh = Device::new(dir.path(), "fresh", &server, "REP-001");
    let pulled = fresh.sync();
    assert_eq!(pulled["pulled"].as_u64().unwrap(), total, "{pulled}");
}

#[test]
fn a_revoked_device_is_refused_with_revoked_and_wipes_everything() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with_master(dir.path());
    let tablet = Device::new(dir.path(), "tablet", &server, "R1");
    let file = dir.path().join("visit.json");
    std::fs::write(&file, visit_json("R1")).unwrap();
    tablet.ok(&["visit", "add", &file.to_string_lossy()]);
    assert_eq!(tablet.sync()["pushed"], 1);

    // The tablet is reported lost: the administrator finds its token by id and revokes it.
    let data = server.data.to_string_lossy().into_owned();
    let listed = mrc(&["--json", "admin", "token", "list", "--data", &data])
        .output()
        .unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    // A token's public id: the first 12 hex digits of its SHA-256.
    let digest = <sha2::Sha256 as sha2::Digest>::digest(tablet.token.as_bytes());
    let id: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    assert!(
        listed.as_array().unwrap().iter().any(|t| t["id"] == id.as_str()),
        "{listed}"
    );
    assert!(
        !listed.to_string().contains(&tablet.token),
        "the list never shows a token"
    );
    let revoked = mrc(&["admin", "token", "revoke", "--data", &data, &id])
        .output()
        .unwrap();
    assert!(
        revoked.status.success(),
        "{}",
        String::from_utf8_lossy(&revoked.stderr)
    );

    let refused = tablet.run(&["sync", "--server", &tablet.server, "--token", &tablet.token]);
    assert_eq!(refused.status.code(), Some(4), "unauthorized");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("401 revoked") && stderr.contains("wipe"),
        "{stderr}"
    );
    let wiped = tablet.run(&["wipe", "--yes"]);
    assert!(
        wiped.status.success(),
        "{}",
        String::from_utf8_lossy(&wiped.stderr)
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("tablet"))
        .collect();
    assert!(left.is_empty(), "the tablet's files are gone: {left:?}");

    let log = mrc(&["--json", "admin", "log", "--data", &data])
        .output()
        .unwrap();
    let log: serde_json::Value = serde_json::from_slice(&log.stdout).unwrap();
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["import_master", "mint_token", "revoke_token"], "{log}");
}

#[test]
fn sync_with_a_token_file_exchanges_the_handed_over_token_and_writes_the_new_one_back() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with_master(dir.path());
    let tablet = Device::new(dir.path(), "tablet", &server, "R1");
    let token_file = dir.path().join("token.txt");
    std::fs::write(&token_file, format!("{}\n", tablet.token)).unwrap();
    let sync = |expect_ok: bool| {
        let out = tablet.run(&[
            "--json",
            "sync",
            "--server",
            &tablet.server,
            "--token-file",
            &token_file.to_string_lossy(),
        ]);
        assert_eq!(
            out.status.success(),
            expect_ok,
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    let visit = dir.path().join("visit.json");
    std::fs::write(&visit, visit_json("R1")).unwrap();
    tablet.ok(&["visit", "add", &visit.to_string_lossy()]);

    // The first sync pushes the visit, then exchanges the handed-over token (it travelled by mail or MDM).
    let first: serde_json::Value = serde_json::from_slice(&sync(true).stdout).unwrap();
    assert_eq!(first["pushed"], 1, "{first}");
    let new_id = first["token_rotated"]
        .as_str()
        .expect("rotated at the first sync")
        .to_owned();
    let written = std::fs::read_to_string(&token_file).unwrap();
    assert_ne!(written.trim(), tablet.token, "the file holds the new token");
    // Not due again for 30 days: the next sync uses the new token and leaves the file alone.
    let second: serde_json::Value = serde_json::from_slice(&sync(true).stdout).unwrap();
    assert!(second.get("token_rotated").is_none(), "{second}");
    assert_eq!(std::fs::read_to_string(&token_file).unwrap(), written);

    // The handed-over token is now refused as rotated (nothing to wipe), and the server's list shows the chain.
    let old = mrc(&["--db", &tablet.db, "sync", "--server", &tablet.server])
        .env("MRC_TOKEN", &tablet.token)
        .output()
        .unwrap();
    assert_eq!(old.status.code(), Some(4), "unauthorized");
    let stderr = String::from_utf8_lossy(&old.stderr);
    assert!(
        stderr.contains("401 rotated") && !stderr.contains("wipe"),
        "{stderr}"
    );
    let data = server.data.to_string_lossy().into_owned();
    let listed = mrc(&["--json", "admin", "token", "list", "--data", &data])
        .output()
        .unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let new = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == new_id.as_str())
        .expect("the new token is listed");
    assert!(new["rotated_from"].is_string(), "{new}");
    assert!(
        !listed.to_string().contains(written.trim()),
        "the list never shows a token"
    );
}
