//! `MrcStore`: the one object of the FFI — opening and closing a store, master data, the change observer.
//!
//! The core's `Store` is `Send + Sync` (one writer behind a mutex, pooled readers), so every method may be called
//! from any thread; the wrappers run them on a background dispatcher / task.

use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc, RwLock,
};

use mrc_core::{master::MasterCounts, OpenOptions, Store, StoreKey, VisitId};

use crate::{
    clock::{DeviceClock, ForeignClock},
    error::{guard, MrcError},
    observer::{ChangeKind, VisitChange, VisitObserver},
};

/// Stores alive in this process (the leak check of the binding tests reads it through `probes`).
pub(crate) static LIVE_STORES: AtomicUsize = AtomicUsize::new(0);

/// An HCP's display name in kanji and its kana reading.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HcpName {
    pub name: String,
    pub kana: String,
}

/// An open local store. Closing it (Kotlin `close()`, Swift releasing the last reference) closes its
/// SQLite connections once the calls in flight have returned.
#[derive(uniffi::Object)]
pub struct MrcStore {
    pub(crate) store: Store,
    observer: RwLock<Option<Arc<dyn VisitObserver>>>,
}

#[uniffi::export]
impl MrcStore {
    /// Opens (creating if needed) the store at `path`. An unreadable file is moved aside; see `recovered_from`.
    /// `clock` tells the time every write stamps and every check reads; `None` is the system clock.
    /// `key` (32 bytes, kept in the Android Keystore / iOS Keychain) encrypts the store: a plain store is
    /// encrypted in place at its first open with a key; a key that does not open it is `WrongKey`, file untouched.
    #[uniffi::constructor(default(clock = None, key = None))]
    pub fn open(
        path: String,
        clock: Option<Arc<dyn DeviceClock>>,
        key: Option<Vec<u8>>,
    ) -> Result<Arc<MrcStore>, MrcError> {
        guard(|| {
            let clock: mrc_core::clock::SharedClock = match clock {
                Some(clock) => Arc::new(ForeignClock(clock)),
                None => mrc_core::clock::system(),
            };
            let options = OpenOptions::new(clock);
            let options = match store_key(key)? {
                Some(key) => options.with_key(key),
                None => options,
            };
            let store = Store::open_with(path, options)?;
            LIVE_STORES.fetch_add(1, Ordering::SeqCst);
            Ok(Arc::new(MrcStore {
                store,
                observer: RwLock::new(None),
            }))
        })
    }

    /// Where an unreadable database file found at open was moved (tell the user; send it to support).
    pub fn recovered_from(&self) -> Option<String> {
        self.store
            .recovered_from()
            .map(|p| p.to_string_lossy().into_owned())
    }

    /// Imports a master-data JSON document, all or nothing; returns how many records of each kind it held.
    pub fn import_master_json(&self, json: String) -> Result<MasterCounts, MrcError> {
        guard(|| {
            let n = self.store.import_master_json(&json)?;
            let count = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
            Ok(MasterCounts {
                reps: count(n.reps),
                institutions: count(n.institutions),
                hcps: count(n.hcps),
                products: count(n.products),
                materials: count(n.materials),
            })
        })
    }

    /// How many master-data records of each kind the store holds.
    pub fn master_counts(&self) -> Result<MasterCounts, MrcError> {
        guard(|| Ok(self.store.master_counts()?))
    }

    /// An HCP's name and kana, if the HCP is in master data.
    pub fn hcp_name(&self, hcp_id: String) -> Result<Option<HcpName>, MrcError> {
        guard(|| {
            Ok(self
                .store
                .hcp_name(&hcp_id)?
                .map(|(name, kana)| HcpName { name, kana }))
        })
    }

    /// Deletes this store's files (database, WAL) and, if given, the folder of material files: what an app does
    /// when a sync answers `Unauthorized { reason: Revoked }` (a lost or stolen device). Every later call on this
    /// store fails with `Storage { code: "wiped" }`; close it and open a new one if the device is used again.
    pub fn wipe(&self, content_dir: Option<String>) -> Result<(), MrcError> {
        guard(|| {
            Ok(self
                .store
                .wipe(content_dir.as_deref().map(std::path::Path::new))?)
        })
    }

    /// Copies the write-ahead log into the database file and empties it: call when the app goes to the background
    /// (it keeps the log small without making a tap or a keystroke wait for it).
    pub fn checkpoint(&self) -> Result<(), MrcError> {
        guard(|| Ok(self.store.checkpoint()?))
    }

    /// Sets (or with `None` removes) the observer told about every visit change made through this store.
    pub fn set_observer(&self, observer: Option<Arc<dyn VisitObserver>>) {
        if let Ok(mut slot) = self.observer.write() {
            *slot = observer;
        }
    }
}

/// Re-encrypts the closed store at `path` from `old_key` (`None`: a plain store) to `new_key`. Crash-safe: a
/// process killed meanwhile leaves the store readable with the old key or the new one. Close every `MrcStore` of
/// the path first (`Storage { code: "in_use" }` otherwise).
#[uniffi::export]
pub fn rekey_store(path: String, old_key: Option<Vec<u8>>, new_key: Vec<u8>) -> Result<(), MrcError> {
    guard(|| {
        let old = store_key(old_key)?;
        let new = StoreKey::from_bytes(&zeroize::Zeroizing::new(new_key))?;
        Ok(Store::rekey(path, old.as_ref(), &new)?)
    })
}

/// The app's key bytes as a store key; the copy handed over the FFI is zeroed.
fn store_key(bytes: Option<Vec<u8>>) -> Result<Option<StoreKey>, MrcError> {
    bytes
        .map(|bytes| Ok(StoreKey::from_bytes(&zeroize::Zeroizing::new(bytes))?))
        .transpose()
}

impl MrcStore {
    /// Tells the observer, if any, about a committed change.
    pub(crate) fn notify(&self, id: VisitId, kind: ChangeKind) {
        let observer = self.observer.read().ok().and_then(|slot| slot.clone());
        if let Some(observer) = observer {
            observer.visit_changed(VisitChange { id, kind });
        }
    }
}

impl Drop for MrcStore {
    fn drop(&mut self) {
        LIVE_STORES.fetch_sub(1, Ordering::SeqCst);
    }
}
