//! A writer killed with SIGKILL in the middle of an import leaves a healthy database with all or none of it.

use std::{
    fmt::Write as _,
    process::Stdio,
    time::{Duration, Instant},
};

use mrc_e2e::mrc;

const HCPS: usize = 60_000;

/// A master-data file large enough that its import takes a noticeable time.
fn big_master() -> String {
    let mut json = String::from(r#"{"products":[{"id":"P1","name":"グルコバランス錠"}],"institutions":["#);
    for i in 0..500 {
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(
            json,
            r#"{sep}{{"id":"I{i}","name":"横浜第{i}病院","address":"神奈川県横浜市港北区新横浜{i}-1","lat":35.5,"lon":139.6}}"#
        );
    }
    json.push_str(r#"],"hcps":["#);
    for i in 0..HCPS {
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(
            json,
            r#"{sep}{{"id":"H{i}","name":"佐藤 健{i}","kana":"さとう けん","specialty":"内科","institution_id":"I{}"}}"#,
            i % 500
        );
    }
    json.push_str("]}");
    json
}

fn count(db: &std::path::Path, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok", "integrity_check after SIGKILL");
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn sigkill_during_import_leaves_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let master = dir.path().join("master.json");
    std::fs::write(&master, big_master()).unwrap();
    let mut killed_mid_write = 0;
    // Kill at several points of the transaction: as soon as the WAL starts growing, and later.
    for (round, wal_threshold) in [1usize, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024]
        .into_iter()
        .enumerate()
    {
        let db = dir.path().join(format!("crash-{round}.db"));
        let db_text = db.to_str().unwrap();
        assert!(mrc(&["--db", db_text, "init"])
            .stdout(Stdio::null())
            .status()
            .unwrap()
            .success());
        let wal = dir.path().join(format!("crash-{round}.db-wal"));
        let wal_len = || std::fs::metadata(&wal).map(|m| m.len() as usize).unwrap_or(0);
        let base = wal_len();
        let mut child = mrc(&["--db", db_text, "import", master.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        let finished = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if wal_len() > base + wal_threshold || Instant::now() > deadline {
                break None;
            }
            std::thread::sleep(Duration::from_micros(200));
        };
        if finished.is_none() {
            child.kill().unwrap(); // SIGKILL on Unix
            let status = child.wait().unwrap();
            if status.code().is_none() {
                killed_mid_write += 1;
            }
        }
        let hcps = count(&db, "hcps");
        assert!(
            hcps == 0 || hcps == HCPS as i64,
            "round {round}: {hcps} of {HCPS} HCPs: a partial import survived"
        );
        assert_eq!(
            count(&db, "institutions") == 0,
            hcps == 0,
            "round {round}: institutions and HCPs disagree"
        );
        // The store still opens through the app code and accepts the import again.
        let again = mrc(&["--db", db_text, "import", master.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(
            again.status.success(),
            "{}",
            String::from_utf8_lossy(&again.stderr)
        );
        assert_eq!(count(&db, "hcps"), HCPS as i64);
    }
    assert!(
        killed_mid_write >= 2,
        "only {killed_mid_write} rounds were killed mid-import: the test proved nothing"
    );
}
