//! MR Companion core: everything the apps share, in plain Rust.
//!
//! - [`clock`]: the one source of "now" (system, fixed for tests, offset for the demo).
//! - [`local_time`]: the rep's IANA zone decides days and hours, never a timestamp's offset.
//! - [`store`]: the local SQLite store (WAL, one writer, readers, migrations, corrupt-file recovery).
//! - [`master`]: master data (reps, institutions, HCPs, products, materials) and its JSON import.
//! - [`visit`]: visits as automerge documents with a projection row for queries.
//! - [`validate`]: findings (errors and warnings with ja/en messages) and the reliability score.
//! - [`seed`]: a realistic sample territory for demos and benchmarks.
//! - [`content`]: material files on the device: fetched after a sync (resumable, verified), unused ones removed.
//! - [`audit`]: a month of visit records replayed through the validator: scores per visit, rep and team.

pub mod audit;
pub mod calendar;
pub mod clock;
pub mod content;
#[cfg(feature = "uniffi")]
pub mod ffi_types;
pub mod ids;
pub mod json_path;
pub mod local_time;
pub mod master;
pub mod nfc;
pub mod seed;
pub mod store;
pub mod sync;
pub mod validate;
pub mod visit;

pub use ids::VisitId;
pub use store::{OpenOptions, Store, StoreError, StoreKey};

// The uniffi scaffolding must sit at the crate root (it defines `crate::UniFfiTag`); see ffi_types.
#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();
