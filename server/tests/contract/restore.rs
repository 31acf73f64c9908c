//! A server restored from an older copy (issue #22): devices that synced with the lost history find out on their
//! next sync, reconcile, and every device — a fresh one too — ends with every visit and every edit, on both stores.
//! The backups are real: a copy of the SQLite database, `pg_dump` / `pg_restore` for PostgreSQL.

use std::sync::Arc;

use mrc_core::nfc::ndef::NdefInput;
use mrc_server::{
    store::{transact, Access},
    ServerStore,
};

use crate::{
    devices::Device,
    support::{server_clock, Fresh},
};

/// When the backup was taken.
#[derive(Clone, Copy, PartialEq)]
pub enum BackupPoint {
    /// Right after the database was created.
    BeforeAnyVisit,
    /// After the tablet synced visit A.
    AfterVisitA,
}

/// The scenario of the issue: a tablet and a phone sync A and B, the phone edits A; the server is restored from
/// `point`; the tablet adds C and syncs, the phone syncs three times, a fresh device syncs. With `hard`, another
/// device writes so much after the restore that the feed passes the old devices' cursors before they return.
pub fn a_restored_server_loses_nothing(fresh: &Fresh, point: BackupPoint, hard: bool) {
    let dir = tempfile::tempdir().unwrap();
    let clock = server_clock();
    let backup = dir.path().join("backup");
    let mut server: Arc<dyn ServerStore> = fresh.store.clone();
    let tablet = Device::new(dir.path(), "tablet", &clock);
    let phone = Device::new(dir.path(), "phone", &clock);

    if point == BackupPoint::BeforeAnyVisit {
        (fresh.backup)(&backup);
    }
    let a = tablet.visit("佐藤先生：HbA1cの推移を確認。");
    tablet.sync(&*server, &clock);
    if point == BackupPoint::AfterVisitA {
        (fresh.backup)(&backup);
    }
    let b = tablet.visit("鈴木先生：腎機能低下例の用量について質問。");
    // A doctor's tap during visit B (a card the device does not know still records the engagement).
    let tapped_at = chrono::DateTime::parse_from_rfc3339("2026-11-19T10:05:00+09:00").unwrap();
    tablet
        .store
        .handle_tap(NdefInput::Bytes(&[0xD1, 0x01, 0x00]), tapped_at, Some(b))
        .unwrap();
    tablet.sync(&*server, &clock);
    assert_eq!(events(&*server), 1);
    phone.sync(&*server, &clock);
    phone.store.splice_notes(a, 0, 0, "【電話で追記】").unwrap();
    phone.sync(&*server, &clock);
    tablet.sync(&*server, &clock);
    let edited = phone.holdings()[&a].clone();
    assert_eq!(
        tablet.holdings()[&a],
        edited,
        "both devices had the edit before the restore"
    );
    let old_cursor = head(&*server);

    server = (fresh.restore)(&backup);
    let mut others = Vec::new();
    if hard {
        // A device that never saw the lost history writes many visits, one sync each, until the restored feed is
        // past the position the tablet and the phone last saw: a cursor comparison alone no longer tells.
        let laptop = Device::new(dir.path(), "laptop", &clock);
        while head(&*server) <= old_cursor + 2 {
            others.push(laptop.visit("高橋先生：新しい臨床データに関心。"));
            laptop.sync(&*server, &clock);
        }
        assert!(head(&*server) > old_cursor);
    }

    let c = tablet.visit("田中先生：後発品との比較資料を希望。");
    let report = tablet.sync(&*server, &clock);
    assert!(report.reconciled, "the tablet found the server restored");
    for _ in 0..3 {
        phone.sync(&*server, &clock);
    }
    let newcomer = Device::new(dir.path(), "newcomer", &clock);
    newcomer.sync(&*server, &clock);
    // One more round, as devices do: the tablet learns what the phone sent again.
    tablet.sync(&*server, &clock);

    let expected = tablet.holdings();
    assert_eq!(expected[&a], edited, "the phone's edit of A survived");
    assert!(expected.contains_key(&b) && expected.contains_key(&c));
    assert_eq!(expected.len(), 3 + others.len());
    for (name, device) in [("phone", &phone), ("newcomer", &newcomer)] {
        assert_eq!(
            device.holdings(),
            expected,
            "{name} holds every visit with the same notes"
        );
    }
    assert_eq!(events(&*server), 1, "the tap is on the server again");
    // And nothing is left to do: a further sync of every device moves nothing.
    for device in [&tablet, &phone, &newcomer] {
        let again = device.sync(&*server, &clock);
        assert_eq!((again.pushed, again.pulled, again.reconciled), (0, 0, false));
    }
}

/// How many engagement events of the rep the server holds.
fn events(server: &dyn ServerStore) -> u64 {
    transact(server, Access::Read, |tx| Ok(tx.count_events("R1")?)).unwrap()
}

/// The server's feed head (as the rep's device sees it).
fn head(server: &dyn ServerStore) -> u64 {
    crate::support::feed_of(server, "R1").1
}
