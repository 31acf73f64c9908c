//! Opening stores: migrations, WAL, actor id, corrupt files moved aside.

use mrc_core::store::{migrations, Store, StoreError};

#[test]
fn a_new_store_is_fully_migrated_in_wal_mode_with_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let store = crate::fixtures::open(dir.path().join("a.db"));
    let (version, mode, fks): (i64, String, i64) = store
        .read(|conn| {
            Ok::<_, StoreError>((
                conn.pragma_query_value(None, "user_version", |r| r.get(0))?,
                conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?,
                conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?,
            ))
        })
        .unwrap();
    assert_eq!(version, migrations::latest_version());
    assert_eq!(mode, "wal");
    assert_eq!(fks, 1);
}

#[test]
fn each_migration_applies_in_order_and_the_result_has_every_table_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = rusqlite::Connection::open(dir.path().join("m.db")).unwrap();
    for (i, sql) in migrations::MIGRATIONS.iter().enumerate() {
        let tx = conn.transaction().unwrap();
        tx.execute_batch(sql)
            .unwrap_or_else(|e| panic!("migration {} fails: {e}", i + 1));
        tx.commit().unwrap();
    }
    // Every foreign key has an index whose first column is the referencing column.
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for table in tables {
        let fks: Vec<String> = conn
            .prepare(&format!(
                "SELECT \"from\" FROM pragma_foreign_key_list('{table}')"
            ))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for column in fks {
            let indexed: bool = conn
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM pragma_index_list(?1) AS l
                        JOIN pragma_index_info(l.name) AS i WHERE i.seqno = 0 AND i.name = ?2)",
                    (&table, &column),
                    |r| r.get(0),
                )
                .unwrap();
            assert!(
                indexed,
                "{table}.{column} references another table but has no index"
            );
        }
    }
}

#[test]
fn reopening_keeps_the_device_actor_and_does_not_migrate_twice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let first = crate::fixtures::open(&path).actor().clone();
    let second = crate::fixtures::open(&path).actor().clone();
    assert_eq!(first, second);
}

#[test]
fn a_database_from_a_newer_build_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    drop(crate::fixtures::open(&path));
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    match Store::open(&path) {
        Err(StoreError::TooNew { found: 999, .. }) => {}
        other => panic!("expected TooNew, got {:?}", other.err()),
    }
    assert!(path.exists());
}

#[test]
fn a_garbage_file_is_moved_aside_not_deleted_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mrc.db");
    let garbage = "これはデータベースではありません。".repeat(400);
    std::fs::write(&path, &garbage).unwrap();
    let store = crate::fixtures::open(&path);
    let moved = store.recovered_from().expect("recovery reported").to_path_buf();
    assert!(
        moved
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("mrc.db.corrupt-"),
        "{moved:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&moved).unwrap(),
        garbage,
        "the old bytes are kept as they were"
    );
    assert_eq!(store.visit_count().unwrap(), 0, "a fresh empty store replaces it");
    drop(store);
    assert!(
        crate::fixtures::open(&path).recovered_from().is_none(),
        "the new file is healthy"
    );
}

/// The schema as SQLite prints it, normalised for comparison.
fn schema(path: &std::path::Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut rows: Vec<(String, String)> = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (_, sql) in &mut rows {
        *sql = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    rows
}

/// The columns of each table (ALTER TABLE appends columns, so compare names and types, not the CREATE text).
fn columns(path: &std::path::Path) -> Vec<(String, String, String)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut out: Vec<(String, String, String)> = conn
        .prepare(
            "SELECT m.name, p.name, p.type FROM sqlite_master m JOIN pragma_table_info(m.name) p
             WHERE m.type = 'table' ORDER BY m.name, p.name",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    out.sort();
    out
}

#[test]
fn a_frozen_v1_database_upgrades_to_the_fresh_schema_and_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("v1.db");
    {
        // A device that last ran schema v1, with a visit in it.
        let mut conn = rusqlite::Connection::open(&old).unwrap();
        let tx = conn.transaction().unwrap();
        // A frozen copy of the v1 schema as released: a later edit of the first migration cannot hide here.
        tx.execute_batch(include_str!("frozen/schema_v1.sql")).unwrap();
        tx.pragma_update(None, "user_version", 1).unwrap();
        tx.execute(
            "INSERT INTO visits (id, rep_id, notes, status, entered_at, updated_at) VALUES (?1, 'R1', ?2, 'draft', 0, 0)",
            (mrc_core::VisitId::new_v7().as_bytes().as_slice(), "旧版で書いたメモ"),
        )
        .unwrap();
        tx.commit().unwrap();
    }
    let fresh = dir.path().join("fresh.db");
    drop(crate::fixtures::open(&fresh));
    let upgraded = crate::fixtures::open(&old);
    assert_eq!(upgraded.visit_count().unwrap(), 1);
    drop(upgraded);
    assert_eq!(columns(&old), columns(&fresh));
    let names = |rows: Vec<(String, String)>| rows.into_iter().map(|(n, _)| n).collect::<Vec<_>>();
    assert_eq!(
        names(schema(&old)),
        names(schema(&fresh)),
        "same tables and indexes"
    );
}

#[test]
fn a_closed_store_is_one_file_even_after_reads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mrc.db");
    let store = crate::fixtures::open(&path);
    store.import_master_json(crate::fixtures::MASTER).unwrap();
    store.create_visit(&crate::fixtures::form()).unwrap();
    // Reads leave pooled reader connections open beside the writer.
    assert_eq!(store.visit_count().unwrap(), 1);
    assert!(store.hcp_name("H1").unwrap().is_some());
    drop(store);
    let wal = dir.path().join("mrc.db-wal");
    assert!(
        !wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0,
        "the log was checkpointed into the file at close"
    );
    // So a copy of the file alone holds everything.
    let copy = dir.path().join("copy.db");
    std::fs::copy(&path, &copy).unwrap();
    assert_eq!(crate::fixtures::open(&copy).visit_count().unwrap(), 1);
}
