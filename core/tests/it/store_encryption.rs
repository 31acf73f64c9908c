//! Encryption at rest: a stolen file reads as random bytes, a wrong key changes nothing, a plain store is encrypted
//! in place at its first open with a key, and `rekey` moves a store from one key to another.

use std::path::{Path, PathBuf};

use mrc_core::{clock::FixedClock, visit::VisitFilter, OpenOptions, Store, StoreError, StoreKey};

use crate::fixtures;

/// What must never be readable from a stolen file: a doctor's name and a phrase of the notes.
const DOCTOR: &str = "佐藤 健一";
const NOTES_PHRASE: &str = "腎機能低下例の用量";

fn key(byte: u8) -> StoreKey {
    StoreKey::from_bytes(&[byte; 32]).unwrap()
}

fn open_keyed(path: &Path, key: Option<StoreKey>) -> Result<Store, StoreError> {
    let options = OpenOptions::new(FixedClock::new(fixtures::now()));
    let options = match key {
        Some(key) => options.with_key(key),
        None => options,
    };
    Store::open_with(path, options)
}

/// A store at `path` with master data and one visit whose notes hold [`NOTES_PHRASE`], closed.
fn write_store(path: &Path, key: Option<StoreKey>) {
    let store = open_keyed(path, key).unwrap();
    store.import_master_json(fixtures::MASTER).unwrap();
    let mut form = fixtures::form();
    form.notes = format!(
        "{NOTES_PHRASE}について質問あり。{}",
        "次回資料を持参。".repeat(20)
    );
    store.create_visit(&form).unwrap();
    drop(store);
}

/// Every byte of the store's files (database, log, shared memory) as they lie on disk.
fn bytes_on_disk(path: &Path) -> Vec<u8> {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|suffix| std::fs::read(sibling(path, suffix)).ok())
        .flatten()
        .collect()
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[test]
fn a_stolen_file_without_the_key_shows_no_name_no_notes_and_no_sqlite_header() {
    let dir = tempfile::tempdir().unwrap();
    // The control: the same content, unencrypted, is readable in the file.
    let plain = dir.path().join("plain.db");
    write_store(&plain, None);
    let plain_bytes = bytes_on_disk(&plain);
    assert!(contains(&plain_bytes, DOCTOR) && contains(&plain_bytes, "SQLite format 3"));

    let encrypted = dir.path().join("tablet.db");
    write_store(&encrypted, Some(key(7)));
    let stolen = bytes_on_disk(&encrypted);
    assert!(
        stolen.len() > 8_192,
        "the store holds data: {} bytes",
        stolen.len()
    );
    for needle in [
        DOCTOR,
        NOTES_PHRASE,
        "横浜港北総合病院",
        "SQLite format 3",
        "visits",
    ] {
        assert!(
            !contains(&stolen, needle),
            "{needle:?} is readable in the stolen file"
        );
    }
    let store = open_keyed(&encrypted, Some(key(7))).unwrap();
    assert_eq!(store.visit_count().unwrap(), 1);
    assert_eq!(
        store.hcp_name("H1").unwrap(),
        Some((DOCTOR.to_owned(), "さとう けんいち".to_owned()))
    );
}

#[test]
fn a_wrong_or_missing_key_is_wrong_key_and_the_file_is_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tablet.db");
    write_store(&path, Some(key(7)));
    let before = std::fs::read(&path).unwrap();
    for attempt in [Some(key(8)), None] {
        match open_keyed(&path, attempt) {
            Err(StoreError::WrongKey) => {}
            other => panic!("expected WrongKey, got {:?}", other.err()),
        }
        assert_eq!(std::fs::read(&path).unwrap(), before, "the file is unchanged");
    }
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|name| !name.contains("corrupt")),
        "nothing was moved aside: {names:?}"
    );
    assert_eq!(open_keyed(&path, Some(key(7))).unwrap().visit_count().unwrap(), 1);
}

#[test]
fn a_plain_store_is_encrypted_in_place_at_its_first_open_with_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tablet.db");
    write_store(&path, None);
    // A copy left by an earlier attempt that was killed: incomplete, never trusted.
    std::fs::write(sibling(&path, ".rekeying"), "途中で止まったコピー").unwrap();

    let store = open_keyed(&path, Some(key(9))).unwrap();
    assert_eq!(store.visit_count().unwrap(), 1, "nothing lost");
    assert!(store.recovered_from().is_none());
    let visits = store.list_visits(&VisitFilter::Hcp("H1".into())).unwrap();
    assert!(
        visits[0].fields.notes.starts_with(NOTES_PHRASE),
        "{}",
        visits[0].fields.notes
    );
    drop(store);

    assert!(!sibling(&path, ".rekeying").exists(), "the copy became the store");
    let on_disk = bytes_on_disk(&path);
    assert!(!contains(&on_disk, DOCTOR) && !contains(&on_disk, "SQLite format 3"));
    assert!(matches!(open_keyed(&path, None), Err(StoreError::WrongKey)));
    let reopened = open_keyed(&path, Some(key(9))).unwrap();
    assert_eq!(reopened.visit_count().unwrap(), 1);
    // Writing still works after the migration (the schema version came across).
    reopened.create_visit(&fixtures::form()).unwrap();
    assert_eq!(reopened.visit_count().unwrap(), 2);
}

#[test]
fn rekey_moves_the_store_to_the_new_key_and_a_wrong_old_key_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tablet.db");
    write_store(&path, Some(key(1)));
    let before = std::fs::read(&path).unwrap();

    assert!(matches!(
        Store::rekey(&path, Some(&key(3)), &key(2)),
        Err(StoreError::WrongKey)
    ));
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(!sibling(&path, ".rekeying").exists());

    Store::rekey(&path, Some(&key(1)), &key(2)).unwrap();
    assert!(matches!(
        open_keyed(&path, Some(key(1))),
        Err(StoreError::WrongKey)
    ));
    assert_eq!(open_keyed(&path, Some(key(2))).unwrap().visit_count().unwrap(), 1);

    let missing = dir.path().join("none.db");
    assert!(matches!(
        Store::rekey(&missing, None, &key(2)),
        Err(StoreError::Io { .. })
    ));
    assert!(!missing.exists());
}

#[test]
fn a_store_open_in_this_process_is_not_rekeyed_under_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tablet.db");
    write_store(&path, Some(key(1)));
    let open = open_keyed(&path, Some(key(1))).unwrap();
    open.create_visit(&fixtures::form()).unwrap();
    // The open store's log holds a committed visit that is not in the file yet.
    match Store::rekey(&path, Some(&key(1)), &key(2)) {
        Err(StoreError::InUse) => {}
        other => panic!("expected InUse, got {other:?}"),
    }
    assert_eq!(open.visit_count().unwrap(), 2);
    drop(open);
    assert_eq!(open_keyed(&path, Some(key(1))).unwrap().visit_count().unwrap(), 2);
}
