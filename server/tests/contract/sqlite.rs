//! The contract suite on the embedded SQLite store.

use std::{path::Path, sync::Arc};

use mrc_server::{admin, store::SqliteStore, Principal, ServerStore};

use crate::support::Fresh;

fn fresh() -> Option<Fresh> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let store = Arc::new(SqliteStore::open_dir(&path).unwrap());
    let (from, to) = (path.clone(), path.clone());
    Some(Fresh {
        store,
        second: Box::new(move || Arc::new(SqliteStore::open_dir(&path).unwrap())),
        backup: Box::new(move |file| backup(&from, file)),
        restore: Box::new(move |file| restore(&to, file)),
        _guard: Box::new(dir),
    })
}

/// A consistent copy of the data folder's database, taken while the server runs.
fn backup(data: &Path, file: &Path) {
    let conn = rusqlite::Connection::open(data.join("server.db")).unwrap();
    conn.execute("VACUUM INTO ?1", [file.to_str().unwrap()]).unwrap();
}

/// The data folder's database replaced by a backup (with its write-ahead log gone), then opened again.
fn restore(data: &Path, file: &Path) -> Arc<dyn ServerStore> {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(data.join(format!("server.db{suffix}")));
    }
    std::fs::copy(file, data.join("server.db")).unwrap();
    Arc::new(SqliteStore::open_dir(data).unwrap())
}

// Always run: an attribute that never applies.
contract_suite!(fresh, #[cfg_attr(any(), ignore)]);

#[test]
fn the_token_is_not_in_the_database_files() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open_dir(dir.path()).unwrap();
    let token = admin::mint_token(&store, &Principal::rep("R1"), &crate::support::operator(), None).unwrap();
    drop(store);
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!bytes.windows(token.len()).any(|w| w == token.as_bytes()));
    }
}
