//! Running `mrc` in a temporary directory.

use std::{path::PathBuf, process::Output};

pub const MASTER: &str = r#"{
  "products": [{"id": "P1", "name": "グルコバランス錠"}],
  "reps": [{"id": "R1", "name": "高橋 美咲", "products": ["P1"]}],
  "institutions": [{"id": "I1", "name": "横浜港北総合病院", "address": "神奈川県横浜市港北区新横浜2-5-3", "lat": 35.5075, "lon": 139.6177}],
  "hcps": [{"id": "H1", "name": "佐藤 健一", "kana": "さとう けんいち", "specialty": "糖尿病内科", "institution_id": "I1"}],
  "materials": []
}"#;

pub const VISIT: &str = r#"{"rep_id":"R1","hcp_id":"H1","institution_id":"I1","channel":"in_person",
  "started_at":"2026-11-20T10:00:00+09:00","duration_min":15,"products":[{"product_id":"P1","priority":1}],
  "materials_shown":[],"reaction":"positive","next_objective":"用量の説明","notes":"先生は新データに関心😊"}"#;

/// A scratch directory with a database path in it.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn db(&self) -> String {
        self.path("mrc.db").to_string_lossy().into_owned()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn file(&self, name: &str, content: &str) -> String {
        let path = self.path(name);
        std::fs::write(&path, content).unwrap();
        path.to_string_lossy().into_owned()
    }

    /// Runs `mrc --db <db> <args>`.
    pub fn mrc(&self, args: &[&str]) -> Output {
        let db = self.db();
        let mut all = vec!["--db", db.as_str()];
        all.extend_from_slice(args);
        run(&all)
    }
}

/// The clock of every `mrc` these tests run (`MRC_NOW`; a test's own `--now` overrides it): two hours after
/// [`VISIT`] started. No test here reads the wall clock.
pub const NOW: &str = "2026-11-20T12:00:00+09:00";

/// [`NOW`] as an instant.
pub fn at_now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(NOW).unwrap().to_utc()
}

/// Runs `mrc <args>` at [`NOW`].
pub fn run(args: &[&str]) -> Output {
    command(args).output().unwrap()
}

/// `mrc <args>` at [`NOW`], ready to run, with no store key from the environment of whoever runs the tests.
pub fn command(args: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_mrc"));
    command
        .env("MRC_NOW", NOW)
        .env_remove("MRC_DB_KEY")
        .env_remove("MRC_DB_NEW_KEY")
        .args(args);
    command
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn json(output: &Output) -> serde_json::Value {
    assert!(output.status.success(), "mrc failed: {}", stderr(output));
    serde_json::from_slice(&output.stdout).unwrap()
}
