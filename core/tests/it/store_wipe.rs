//! `Store::wipe`: a revoked device leaves no file behind, and the wiped store refuses every call.

use mrc_core::{visit::VisitError, StoreError};

use crate::fixtures;

#[test]
fn a_wiped_store_leaves_no_file_and_refuses_every_call() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tablet.db");
    let store = fixtures::open(&path);
    store.import_master_json(fixtures::MASTER).unwrap();
    let id = store.create_visit(&fixtures::form()).unwrap();
    // An unreadable earlier store, moved aside at open: it may hold visits, so it goes too.
    std::fs::write(
        dir.path().join("tablet.db.corrupt-1796000000"),
        "壊れたデータベース",
    )
    .unwrap();
    std::fs::write(dir.path().join("tablet.db.corrupt-1796000000-wal"), "…").unwrap();
    // A copy left by an encryption that was interrupted.
    std::fs::write(dir.path().join("tablet.db.rekeying"), "暗号化の途中").unwrap();
    let content = dir.path().join("tablet.db.content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(content.join("grucobalance.pdf"), "製品情報概要").unwrap();
    assert!(path.exists());

    store.wipe(Some(&content)).unwrap();
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "files left behind: {left:?}");
    assert!(matches!(
        store.get_visit(id),
        Err(VisitError::Store(StoreError::Wiped))
    ));
    assert!(matches!(
        store.create_visit(&fixtures::form()),
        Err(VisitError::Store(StoreError::Wiped))
    ));
    assert!(matches!(store.checkpoint(), Err(StoreError::Wiped)));
    // Wiping again is harmless; opening the path again gives a new, empty store.
    store.wipe(Some(&content)).unwrap();
    drop(store);
    assert_eq!(fixtures::open(&path).visit_count().unwrap(), 0);
}
