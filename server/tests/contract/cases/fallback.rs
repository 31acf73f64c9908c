//! The fallback when the shared state is unknown: real device stores syncing through the exchange (in process),
//! one of them claiming an agreement the server has lost, as after a restore from an older backup.

use mrc_core::{visit::VisitFields, Store, VisitId};
use mrc_server::{exchange::Direct, Principal, ServerStore};

fn fields(notes: &str) -> VisitFields {
    VisitFields {
        rep_id: Some("R1".into()),
        notes: notes.into(),
        ..VisitFields::default()
    }
}

fn notes(store: &Store, id: VisitId) -> String {
    store.get_visit(id).unwrap().fields.notes
}

pub fn unknown_shared_state_is_reconciled_with_sync_messages(store: &dyn ServerStore) {
    let dir = tempfile::tempdir().unwrap();
    let tablet = Store::open(dir.path().join("tablet.db")).unwrap();
    let phone = Store::open(dir.path().join("phone.db")).unwrap();
    let link = Direct {
        store,
        principal: Principal::rep("R1"),
        clock: crate::support::server_clock(),
    };
    let id = tablet
        .create_visit(&fields("佐藤先生は新しいデータに関心。"))
        .unwrap();
    tablet.sync(&link, &mut |_| {}).unwrap();
    phone.sync(&link, &mut |_| {}).unwrap();
    let end = notes(&phone, id).chars().count();
    phone.splice_notes(id, end, 0, "次回は用量を説明。").unwrap();
    phone.sync(&link, &mut |_| {}).unwrap();

    // The tablet edits; its agreement then names that edit as if the server had it (a server restored from an
    // older backup), and it edits again: its next push builds on a change the server lacks.
    tablet.splice_notes(id, 0, 0, "【再訪】").unwrap();
    tablet
        .write(|tx| -> Result<usize, mrc_core::StoreError> {
            Ok(tx.execute(
                "UPDATE visit_sync SET server_heads = (SELECT heads FROM visits WHERE id = ?1) WHERE visit_id = ?1",
                [id.as_bytes().as_slice()],
            )?)
        })
        .unwrap();
    let end = notes(&tablet, id).chars().count();
    tablet.splice_notes(id, end, 0, "（追記：腎機能）").unwrap();
    let report = tablet.sync(&link, &mut |_| {}).unwrap();
    // `send_full`, then sync messages until both sides are done: more than the 2 requests of sending the whole
    // document; a Bloom filter's false positive can cost a round more.
    assert!(
        (3..=8).contains(&report.round_trips),
        "send_full, then sync messages: {} requests",
        report.round_trips
    );
    assert_eq!(
        report.pulled, 1,
        "the phone's edit came back through the sync messages"
    );
    phone.sync(&link, &mut |_| {}).unwrap();
    // The two appends at the end were concurrent: automerge orders them by actor, either way on both devices.
    let merged = notes(&tablet, id);
    assert!(
        [
            "【再訪】佐藤先生は新しいデータに関心。次回は用量を説明。（追記：腎機能）",
            "【再訪】佐藤先生は新しいデータに関心。（追記：腎機能）次回は用量を説明。"
        ]
        .contains(&merged.as_str()),
        "{merged}"
    );
    assert_eq!(notes(&phone, id), merged);
    // Settled: the next sync pushes nothing.
    let again = tablet.sync(&link, &mut |_| {}).unwrap();
    assert_eq!((again.round_trips, again.pushed), (1, 0));
}
