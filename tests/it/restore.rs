//! A server restored from a copy of its data folder, with real processes and HTTP (issue #22): the tablet and the
//! phone find out on their next `mrc sync`, say so, send again what the server lost, and every device — a fresh one
//! too — ends with every visit and every edit.

use std::path::Path;

use mrc_e2e::Server;

use crate::sync::{server_with_master, visit_json, Device};

/// Copies a folder and everything in it.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn add(device: &Device, dir: &Path, notes: &str) -> String {
    let file = dir.join("visit.json");
    let json = visit_json("R1").replace(
        "佐藤先生は新しい臨床データに関心を示された。次回は用量を説明する。",
        notes,
    );
    std::fs::write(&file, json).unwrap();
    device.ok(&["visit", "add", &file.to_string_lossy()])["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Every visit a device holds (id → notes), as `mrc visit list` shows them.
fn holdings(device: &Device) -> Vec<(String, String)> {
    let list = device.ok(&["visit", "list", "--hcp", "H1"]);
    let mut out: Vec<(String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["id"].as_str().unwrap().to_owned(),
                v["notes"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_server_restored_from_a_copy_of_its_data_folder_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = server_with_master(dir.path());
    let data = server.data.clone();
    let mut tablet = Device::new(dir.path(), "tablet", &server, "R1");
    let mut phone = Device::new(dir.path(), "phone", &server, "R1");
    let mut newcomer = Device::new(dir.path(), "newcomer", &server, "R1");
    let a = add(&tablet, dir.path(), "佐藤先生：HbA1cの推移を確認。");
    let first = tablet.sync();

    // The nightly backup: the server stopped, its data folder copied, the server started again.
    server.kill();
    let backup = dir.path().join("backup");
    copy_dir(&data, &backup);
    server = Server::start(&data);
    for device in [&mut tablet, &mut phone, &mut newcomer] {
        device.server = server.url.clone();
    }

    add(&tablet, dir.path(), "鈴木先生：腎機能低下例の用量について質問。");
    tablet.sync();
    phone.sync();
    phone.ok(&[
        "notes",
        "set",
        &a,
        "--text",
        "【電話で追記】佐藤先生：HbA1cの推移を確認。",
    ]);
    phone.sync();
    let before_restore = tablet.sync();

    // The disk fails; the data folder is restored from the backup.
    server.kill();
    std::fs::remove_dir_all(&data).unwrap();
    copy_dir(&backup, &data);
    server = Server::start(&data);
    for device in [&mut tablet, &mut phone, &mut newcomer] {
        device.server = server.url.clone();
    }

    add(&tablet, dir.path(), "田中先生：後発品との比較資料を希望。");
    let returned = tablet.sync();
    assert_eq!(returned["reconciled"], true, "{returned}");
    assert_eq!(
        returned["server_id"], first["server_id"],
        "a restored database keeps its identity"
    );
    assert_ne!(returned["server_head"], before_restore["server_head"]);
    for _ in 0..3 {
        phone.sync();
    }
    newcomer.sync();
    tablet.sync();

    let expected = holdings(&tablet);
    assert_eq!(expected.len(), 3, "{expected:?}");
    assert!(expected
        .iter()
        .any(|(id, notes)| id == &a && notes.starts_with("【電話で追記】")));
    assert_eq!(holdings(&phone), expected);
    assert_eq!(holdings(&newcomer), expected);
    for device in [&tablet, &phone, &newcomer] {
        let again = device.sync();
        assert_eq!(
            (&again["pushed"], &again["pulled"], &again["reconciled"]),
            (&0.into(), &0.into(), &false.into())
        );
    }
}
