//! The tap desk: a core [`Store`] on the server that judges browser taps with exactly the code the app runs
//! (`Store::handle_tap`: URL policy, signed claim or SUN/SDM CMAC, replay counter, material resolution).
//!
//! It holds the card registry (`mrc --db FILE card …`: signed-card keys, SUN cards and keys), a copy of the
//! server's master data (re-imported whenever `mrc admin import` bumps its version), its own engagement log, and
//! the secret that signs the web's links and cookies. Several server processes on one host may share the file.

use std::{
    path::Path,
    sync::{
        atomic::{AtomicU64, Ordering},
        Mutex,
    },
    time::{Duration, Instant},
};

use chrono::{DateTime, FixedOffset};
use mrc_core::{
    nfc::{
        ndef::{uri_record, NdefInput},
        tap::Tap,
        url::{UrlPolicy, ALLOWED_HOSTS_SETTING},
    },
    Store,
};
use rusqlite::OptionalExtension;

use super::signed::{Signer, SECRET_BYTES};
use crate::{
    store::{transact, Access, JsonDoc},
    ServerError, ServerStore,
};

/// How long a master-data version check holds: taps within it do not read the server's master data again.
const REFRESH_EVERY: Duration = Duration::from_secs(5);

/// The settings key of the web secret.
const SECRET_SETTING: &str = "web.secret";

/// The server's card registry and tap judge.
pub struct TapDesk {
    store: Store,
    signer: Signer,
    /// The master-data version last imported (0 = none yet).
    master_version: AtomicU64,
    /// When the server's master-data version was last checked.
    checked: Mutex<Option<Instant>>,
}

fn failed(what: &str, err: impl std::fmt::Display) -> ServerError {
    ServerError::Internal(format!("tap desk: {what}: {err}"))
}

impl TapDesk {
    /// Opens (or creates) the desk file and its secret.
    pub fn open(path: &Path) -> Result<TapDesk, ServerError> {
        let store = Store::open(path).map_err(|e| failed("cannot open the card registry", e))?;
        let secret = store.write(|tx| -> Result<String, ServerError> {
            let found: Option<String> = tx
                .query_row(
                    "SELECT value FROM settings WHERE key = ?1",
                    [SECRET_SETTING],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(found) = found {
                return Ok(found);
            }
            let mut bytes = [0u8; SECRET_BYTES];
            getrandom::fill(&mut bytes)
                .map_err(|_| ServerError::Internal("the system random source failed".into()))?;
            let hex = mrc_core::nfc::text_codec::hex(&bytes);
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)",
                (SECRET_SETTING, &hex),
            )?;
            Ok(hex)
        })?;
        let secret = mrc_core::nfc::text_codec::unhex_array::<SECRET_BYTES>(&secret)
            .ok_or_else(|| failed("the stored secret is malformed", SECRET_SETTING))?;
        Ok(TapDesk {
            store,
            signer: Signer::new(secret),
            master_version: AtomicU64::new(0),
            checked: Mutex::new(None),
        })
    }

    /// Signs the web's links and cookies.
    pub fn signer(&self) -> &Signer {
        &self.signer
    }

    /// The core store (the registry, the materials, the desk's own tap log).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The host card URLs name: the first allow-listed one.
    pub fn card_host(&self) -> Result<String, ServerError> {
        let value: Option<String> = self.store.read(|conn| -> Result<_, mrc_core::StoreError> {
            Ok(conn
                .query_row(
                    "SELECT value FROM settings WHERE key = ?1",
                    [ALLOWED_HOSTS_SETTING],
                    |r| r.get(0),
                )
                .optional()?)
        })?;
        let policy = value.map(|v| UrlPolicy::from_setting(&v)).unwrap_or_default();
        policy
            .hosts()
            .first()
            .cloned()
            .ok_or_else(|| failed("no card host is allow-listed", ALLOWED_HOSTS_SETTING))
    }

    /// Re-imports the server's master data when its version moved (checked at most every few seconds), and
    /// points every material at its content address (the web serves content from the server store by SHA-256).
    pub fn refresh(&self, server: &dyn ServerStore) -> Result<(), ServerError> {
        let started = Instant::now();
        let fresh =
            |checked: &Option<Instant>| checked.is_some_and(|at| started.duration_since(at) < REFRESH_EVERY);
        if fresh(
            &self
                .checked
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        ) {
            return Ok(());
        }
        self.import_if_newer(server)?;
        *self
            .checked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(started);
        Ok(())
    }

    fn import_if_newer(&self, server: &dyn ServerStore) -> Result<(), ServerError> {
        let loaded = self.master_version.load(Ordering::Acquire);
        let Some(master) = transact(server, Access::Read, |tx| Ok(tx.json_doc(JsonDoc::Master)?))? else {
            return Ok(());
        };
        if master.version <= loaded {
            return Ok(());
        }
        self.store
            .import_master_json(&master.json)
            .map_err(|e| failed("the server's master data does not import", e))?;
        self.store.write(|tx| -> Result<(), mrc_core::StoreError> {
            tx.execute("UPDATE materials SET local_path = sha256", [])?;
            Ok(())
        })?;
        self.master_version.store(master.version, Ordering::Release);
        Ok(())
    }

    /// Judges the card URL `url` tapped at `now` (the event lands in the desk's own log).
    pub fn judge(&self, url: &str, now: DateTime<FixedOffset>) -> Result<Tap, ServerError> {
        let record = uri_record(url);
        self.store
            .handle_tap(NdefInput::Records(std::slice::from_ref(&record)), now, None)
            .map_err(|e| failed("cannot judge a tap", e))
    }
}
