//! The store key on the command line (`--key-file`, `MRC_DB_KEY`), `mrc rekey`, and a plain store encrypted in
//! place while the process doing it is killed again and again.

use std::{path::Path, process::Output, time::Duration};

use crate::support::{command, json, stderr, Scratch, MASTER, VISIT};

const KEY_1: &str = "1111111111111111111111111111111111111111111111111111111111111111";
const KEY_2: &str = "2222222222222222222222222222222222222222222222222222222222222222";

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

/// `mrc --db <db> <args>` with `env` set.
fn mrc_with(s: &Scratch, env: &[(&str, &str)], args: &[&str]) -> Output {
    let db = s.db();
    let mut all = vec!["--db", db.as_str()];
    all.extend_from_slice(args);
    let mut command = command(&all);
    command.envs(env.iter().copied());
    command.output().unwrap()
}

#[test]
fn a_key_from_a_file_or_the_environment_encrypts_the_store_and_a_wrong_one_changes_nothing() {
    let s = Scratch::new();
    let key_1 = s.file("key-1.hex", &format!("{KEY_1}\n"));
    let master = s.file("master.json", MASTER);
    let visit = s.file("visit.json", VISIT);
    assert!(mrc_with(&s, &[], &["--key-file", &key_1, "import", &master])
        .status
        .success());
    let added = mrc_with(&s, &[("MRC_DB_KEY", KEY_1)], &["visit", "add", &visit]);
    assert!(added.status.success(), "{}", stderr(&added));
    s.mrc(&["--key-file", &key_1, "init"]); // closes cleanly: everything is in the file
    let on_disk = std::fs::read(s.path("mrc.db")).unwrap();
    assert!(!contains(&on_disk, "佐藤 健一") && !contains(&on_disk, "SQLite format 3"));

    for (env, args) in [
        (vec![], vec!["visit", "list", "--hcp", "H1"]),
        (vec![("MRC_DB_KEY", KEY_2)], vec!["visit", "list", "--hcp", "H1"]),
    ] {
        let before = std::fs::read(s.path("mrc.db")).unwrap();
        let refused = mrc_with(&s, &env, &args);
        assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
        assert!(stderr(&refused).contains("鍵が合わない"), "{}", stderr(&refused));
        assert!(stderr(&refused).contains("MRC_DB_KEY"), "{}", stderr(&refused));
        assert_eq!(std::fs::read(s.path("mrc.db")).unwrap(), before);
    }
    let listed = json(&mrc_with(
        &s,
        &[("MRC_DB_KEY", KEY_1)],
        &["--json", "visit", "list", "--hcp", "H1"],
    ));
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");

    let both = mrc_with(&s, &[("MRC_DB_KEY", KEY_1)], &["--key-file", &key_1, "init"]);
    assert_eq!(both.status.code(), Some(2), "{}", stderr(&both));
    let short = mrc_with(&s, &[("MRC_DB_KEY", "abc")], &["init"]);
    assert_eq!(short.status.code(), Some(2), "{}", stderr(&short));
    assert!(
        !stderr(&short).contains("abc"),
        "the key is not echoed: {}",
        stderr(&short)
    );
}

#[test]
fn rekey_moves_the_store_to_the_new_key() {
    let s = Scratch::new();
    let key_1 = s.file("key-1.hex", KEY_1);
    let key_2 = s.file("key-2.hex", KEY_2);
    let master = s.file("master.json", MASTER);
    assert!(s.mrc(&["import", &master]).status.success());
    // A plain store: rekey without a current key encrypts it.
    let encrypted = mrc_with(&s, &[("MRC_DB_NEW_KEY", KEY_1)], &["rekey"]);
    assert!(encrypted.status.success(), "{}", stderr(&encrypted));
    let rekeyed = s.mrc(&["--key-file", &key_1, "rekey", "--new-key-file", &key_2]);
    assert!(rekeyed.status.success(), "{}", stderr(&rekeyed));
    assert_eq!(s.mrc(&["--key-file", &key_1, "init"]).status.code(), Some(1));
    let init = json(&s.mrc(&["--key-file", &key_2, "--json", "init"]));
    assert_eq!(init["master"]["hcps"], 1, "{init}");
    let missing = s.mrc(&["--key-file", &key_2, "rekey"]);
    assert_eq!(missing.status.code(), Some(2), "{}", stderr(&missing));
}

/// Where a killed encryption left the store.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Stage {
    /// Still the plain file, no copy begun.
    Before,
    /// Killed while copying: the plain file and a partial `.rekeying` copy.
    During,
    /// The encrypted file is in place.
    After,
}

fn stage_of(db: &Path) -> Stage {
    let header = std::fs::read(db).unwrap_or_default();
    let plain = header.starts_with(b"SQLite format 3\0");
    let copy = db.with_file_name("mrc.db.rekeying").exists();
    match (plain, copy) {
        (true, false) => Stage::Before,
        (true, true) => Stage::During,
        (false, _) => Stage::After,
    }
}

#[test]
fn encryption_killed_at_any_point_loses_nothing() {
    let template = Scratch::new();
    let seeded = template.mrc(&["seed", "--days", "120", "--hcps", "80", "--institutions", "12"]);
    assert!(seeded.status.success(), "{}", stderr(&seeded));
    let expected = json(&template.mrc(&["--json", "init"]))["visits"].clone();
    assert!(expected.as_u64().unwrap() > 300, "{expected}");
    let key = template.file("key.hex", KEY_1);

    // How long one whole first open with the key takes on this machine: the kills are spread over it.
    let probe = Scratch::new();
    std::fs::copy(template.db(), probe.db()).unwrap();
    let started = std::time::Instant::now();
    assert!(probe.mrc(&["--key-file", &key, "init"]).status.success());
    let mut late = started.elapsed();
    let mut early = Duration::ZERO;

    let mut seen = Vec::new();
    for _ in 0..40 {
        let s = Scratch::new();
        std::fs::copy(template.db(), s.db()).unwrap();
        let db = s.db();
        let delay = early + (late - early) / 2;
        let mut child = command(&["--db", &db, "--key-file", &key, "init"])
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // it may have finished already
        child.wait().unwrap();
        let stage = stage_of(Path::new(&db));
        seen.push(stage);
        // Bisect towards the copy, the stage a kill rarely hits by chance.
        match stage {
            Stage::Before => early = delay,
            Stage::After => late = delay,
            Stage::During => late = delay + (late - delay) / 2,
        }
        let reopened = json(&s.mrc(&["--key-file", &key, "--json", "init"]));
        assert_eq!(reopened["visits"], expected, "visits after a kill at {stage:?}");
        assert_eq!(stage_of(Path::new(&db)), Stage::After);
    }
    eprintln!("stages after each kill: {seen:?}");
    assert!(
        seen.contains(&Stage::During),
        "no kill landed while the copy was written: {seen:?}"
    );
}
