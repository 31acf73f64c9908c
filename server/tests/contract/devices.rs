//! Real device stores (SQLite files, the core's sync client) syncing with a server store in the same process, for
//! the cases about whole devices: a restored server, a first sync cut mid-way.

use std::{collections::BTreeMap, path::Path};

use mrc_core::{
    clock::SharedClock,
    store::Store,
    sync::{SyncError, SyncProgress, SyncReport, Transport},
    visit::{Channel, VisitFields, VisitFilter},
    VisitId,
};
use mrc_server::{exchange::Direct, Principal, ServerStore};

/// One device of rep R1: a real store file.
pub struct Device {
    pub store: Store,
}

impl Device {
    pub fn new(dir: &Path, name: &str, clock: &SharedClock) -> Device {
        Device {
            store: Store::open_with_clock(dir.join(format!("{name}.db")), clock.clone()).unwrap(),
        }
    }

    /// The transport of rep R1 to `server`, at the server's `clock`.
    pub fn direct<'a>(server: &'a dyn ServerStore, clock: &SharedClock) -> Direct<'a> {
        Direct {
            store: server,
            principal: Principal::rep("R1"),
            clock: clock.clone(),
        }
    }

    /// A sync that must succeed.
    pub fn sync(&self, server: &dyn ServerStore, clock: &SharedClock) -> SyncReport {
        self.try_sync(&Device::direct(server, clock), &mut |_| {})
            .unwrap()
    }

    /// A sync through any transport, reporting progress.
    pub fn try_sync(
        &self,
        transport: &dyn Transport,
        progress: &mut dyn FnMut(SyncProgress),
    ) -> Result<SyncReport, SyncError> {
        self.store.sync(transport, progress)
    }

    /// The fields of a visit of R1 with H1, started `minutes` after 2026-11-19 09:00 JST.
    pub fn fields(notes: &str, minutes: i64) -> VisitFields {
        let start = chrono::DateTime::parse_from_rfc3339("2026-11-19T09:00:00+09:00").unwrap();
        VisitFields {
            rep_id: Some("R1".into()),
            hcp_id: Some("H1".into()),
            institution_id: Some("I1".into()),
            channel: Some(Channel::InPerson),
            started_at: Some(start + chrono::Duration::minutes(minutes)),
            duration_min: Some(15),
            notes: notes.into(),
            ..VisitFields::default()
        }
    }

    /// A new visit with these notes.
    pub fn visit(&self, notes: &str) -> VisitId {
        self.store.create_visit(&Device::fields(notes, 60)).unwrap()
    }

    /// Every visit held, with its notes.
    pub fn holdings(&self) -> BTreeMap<VisitId, String> {
        self.everything()
            .into_iter()
            .map(|(id, fields)| (id, fields.notes))
            .collect()
    }

    /// Every visit held, with all its fields.
    pub fn everything(&self) -> BTreeMap<VisitId, VisitFields> {
        self.store
            .list_visits(&VisitFilter::Hcp("H1".into()))
            .unwrap()
            .into_iter()
            .map(|v| (v.id, v.fields))
            .collect()
    }
}
