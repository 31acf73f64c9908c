//! Master-data import: all-or-nothing, JSON paths in refusals, upserts.

use mrc_core::{master::ImportError, Store};

use crate::fixtures;

#[test]
fn imports_every_kind_and_reimport_upserts() {
    let (_dir, store) = fixtures::store();
    let counts = store.master_counts().unwrap();
    assert_eq!(
        (
            counts.reps,
            counts.institutions,
            counts.hcps,
            counts.products,
            counts.materials
        ),
        (1, 1, 1, 2, 1)
    );
    store.import_master_json(fixtures::MASTER).unwrap();
    assert_eq!(store.master_counts().unwrap(), counts);
    assert_eq!(
        store.hcp_name("H1").unwrap(),
        Some(("佐藤 健一".into(), "さとう けんいち".into()))
    );
}

fn refused_path(store: &Store, json: &str) -> String {
    match store.import_master_json(json) {
        Err(ImportError::Invalid(err)) => err.path,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_malformed_file_names_the_first_problem_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = crate::fixtures::open(dir.path().join("m.db"));
    let bad_type = fixtures::MASTER.replace(r#""lat": 35.5075"#, r#""lat": "北緯35度""#);
    assert_eq!(refused_path(&store, &bad_type), "/institutions/0/lat");
    let bad_ref = fixtures::MASTER.replace(r#""institution_id": "I1""#, r#""institution_id": "I9""#);
    assert_eq!(refused_path(&store, &bad_ref), "/hcps/0/institution_id");
    let bad_hash = fixtures::MASTER.replace("9f86d0", "XYZ");
    assert_eq!(refused_path(&store, &bad_hash), "/materials/0/sha256");
    let bad_dates =
        fixtures::MASTER.replace(r#""valid_until": "2027-03-31""#, r#""valid_until": "2025-03-31""#);
    assert_eq!(refused_path(&store, &bad_dates), "/materials/0/valid_until");
    assert_eq!(
        refused_path(&store, r#"{"products": [{"id": "P1"}]}"#),
        "/products/0"
    );
    assert_eq!(refused_path(&store, r#"{"doctors": []}"#), "/doctors");
    assert_eq!(refused_path(&store, "[]"), "");
    let counts = store.master_counts().unwrap();
    assert_eq!(
        (counts.products, counts.institutions, counts.hcps),
        (0, 0, 0),
        "nothing was written"
    );
}

#[test]
fn the_refusal_message_names_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let store = crate::fixtures::open(dir.path().join("m.db"));
    let err = store
        .import_master_json(r#"{"products": [{"id": "", "name": "x"}]}"#)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "master data refused at /products/0/id: must not be empty"
    );
}
