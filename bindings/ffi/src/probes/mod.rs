//! Test-only exports (feature `test-probes`, enabled by scripts/bindings.sh): a panic inside the core's read path
//! and the number of live stores, so the Kotlin and Swift tests can prove "error, not crash" and "no leak";
//! `card` issues a signed test card, `bench` builds and runs the FFI benchmark's calls.

mod bench;
mod card;

use std::sync::atomic::Ordering;

use mrc_core::StoreError;

use crate::{
    error::{guard, MrcError},
    store::LIVE_STORES,
    MrcStore,
};

/// How many `MrcStore` objects are alive in this process.
#[uniffi::export]
pub fn live_store_count() -> u64 {
    LIVE_STORES.load(Ordering::SeqCst) as u64
}

#[uniffi::export]
impl MrcStore {
    /// Panics inside `Store::read` (with a reader connection checked out): must surface as `MrcError::Internal`.
    pub fn panic_probe(&self) -> Result<(), MrcError> {
        guard(|| {
            self.store
                .read(|_conn| -> Result<(), StoreError> { panic!("panic probe: a bug inside the core") })?;
            Ok(())
        })
    }
}
