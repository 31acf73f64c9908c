//! `Store::read` is one snapshot: what a validation context reads in a dozen statements is one state of the store.

use mrc_core::StoreError;
use rusqlite::Connection;

use crate::fixtures;

fn visits(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("SELECT count(*) FROM visits", [], |r| r.get(0))?)
}

#[test]
fn a_read_sees_one_snapshot_even_when_a_write_lands_in_between() {
    let (_dir, store) = fixtures::store();
    store.create_visit(&fixtures::form()).unwrap();
    let (before, after) = store
        .read(|conn| {
            let before = visits(conn)?;
            // The writer is another connection: this commit lands between the read's two statements.
            let mut other = fixtures::form();
            other.notes = "先生は用量の資料を希望された。".into();
            store.create_visit(&other).unwrap();
            Ok::<_, StoreError>((before, visits(conn)?))
        })
        .unwrap();
    assert_eq!((before, after), (1, 1), "the second statement saw the write");
    assert_eq!(store.read(visits).unwrap(), 2, "the next read sees it");
}
