//! The contract suite on the embedded SQLite store.

use std::sync::Arc;

use mrc_server::{admin, store::SqliteStore, Principal};

use crate::support::Fresh;

fn fresh() -> Option<Fresh> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let store = Arc::new(SqliteStore::open_dir(&path).unwrap());
    Some(Fresh {
        store,
        second: Box::new(move || Arc::new(SqliteStore::open_dir(&path).unwrap())),
        _guard: Box::new(dir),
    })
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
