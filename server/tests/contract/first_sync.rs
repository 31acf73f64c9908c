//! A first sync cut mid-way — the app swiped away, the connection gone — resumes on the next run: nothing is
//! duplicated or lost, the next run's progress counts what is left and ends at its total, and the device ends
//! identical to one whose first sync was never cut (issue #22, point 3).

use std::cell::Cell;

use mrc_core::sync::{SyncFailureKind, SyncProgress, Transport, TransportError};
use mrc_server::exchange::PAGE_MAX_DOCS;

use crate::{
    devices::Device,
    support::{server_clock, Fresh},
};

/// Forwards requests until `pulls` pull pages have been answered, then fails like a dropped connection.
struct CutAfter<T: Transport> {
    inner: T,
    pulls: Cell<u32>,
}

impl<T: Transport> Transport for CutAfter<T> {
    fn post(&self, path: &str, body: &[u8]) -> Result<Vec<u8>, TransportError> {
        if path == "/v1/pull" {
            if self.pulls.get() == 0 {
                return Err(TransportError::Network(
                    "the app was swiped away (simulated)".into(),
                ));
            }
            self.pulls.set(self.pulls.get() - 1);
        }
        self.inner.post(path, body)
    }
}

pub fn a_first_sync_cut_mid_way_resumes_and_ends_identical(fresh: &Fresh) {
    let dir = tempfile::tempdir().unwrap();
    let clock = server_clock();
    let server = &*fresh.store;
    let tablet = Device::new(dir.path(), "tablet", &clock);
    let total = PAGE_MAX_DOCS + 60;
    let entered = chrono::DateTime::parse_from_rfc3339("2026-11-19T18:00:00+09:00")
        .unwrap()
        .to_utc();
    let visits: Vec<_> = (0..total)
        .map(|i| {
            (
                Device::fields(
                    &format!("訪問{i}：糖尿病内科の先生と用量について面談。"),
                    i as i64 * 30,
                ),
                entered,
            )
        })
        .collect();
    tablet.store.create_visits(&visits).unwrap();
    tablet.sync(server, &clock);

    let whole = Device::new(dir.path(), "whole", &clock);
    assert_eq!(whole.sync(server, &clock).pulled, total as u64);

    let cut = Device::new(dir.path(), "cut", &clock);
    let cutting = CutAfter {
        inner: Device::direct(server, &clock),
        pulls: Cell::new(1),
    };
    let error = cut.try_sync(&cutting, &mut |_| {}).unwrap_err();
    assert_eq!(error.kind(), SyncFailureKind::Offline);
    let kept = cut.holdings().len();
    assert!(
        kept > 0 && kept < total,
        "one page applied before the cut: {kept}"
    );

    let mut seen: Vec<SyncProgress> = Vec::new();
    let resumed = cut
        .try_sync(&Device::direct(server, &clock), &mut |p| seen.push(p))
        .unwrap();
    assert_eq!(resumed.pulled as usize, total - kept, "only what was missing");
    let left = (total - kept) as u64;
    assert_eq!(seen.first().map(|p| (p.done, p.total)), Some((0, left)));
    assert_eq!(seen.last().map(|p| (p.done, p.total)), Some((left, left)));

    assert_eq!(
        cut.everything(),
        whole.everything(),
        "identical to an uninterrupted first sync"
    );
    for device in [&cut, &whole] {
        let again = device.sync(server, &clock);
        assert_eq!((again.pushed, again.pulled), (0, 0));
    }
}
