//! MR Companion core: what a device runs, in plain Rust (head office's audit is `mrc-audit`, the sample generators
//! `mrc-sample`).
//!
//! - [`clock`]: the one source of "now" (system, fixed for tests, offset for the demo).
//! - [`local_time`]: the rep's IANA zone decides days and hours, never a timestamp's offset; [`calendar`]: working
//!   days and Japanese public holidays.
//! - [`store`]: the local SQLite store (WAL, one writer, readers, migrations, corrupt-file recovery, encryption at
//!   rest with SQLCipher, wipe).
//! - [`master`]: master data (reps, institutions, HCPs, products, materials) and its JSON import.
//! - [`visit`]: visits as automerge documents with a projection row for queries; [`ids`]: visit ids.
//! - [`insights`]: topics, possible adverse events and off-label questions proposed from the notes (a lexicon).
//! - [`validate`]: findings (errors and warnings with ja/en messages) and the reliability score (evidence).
//! - [`nfc`]: NDEF decoding and encoding, signed and SUN cards, the tap path.
//! - [`sync`]: the wire protocol shared with the server and the device's client side (sync, token rotation).
//! - [`content`]: material files on the device: fetched after a sync (resumable, verified), unused ones removed.
//! - [`json_path`]: JSON parsing that names the path of what it refuses; `text_enum!`: an enum's stable text form.

pub mod calendar;
pub mod clock;
pub mod content;
#[cfg(feature = "uniffi")]
pub mod ffi_types;
pub mod ids;
pub mod insights;
pub mod json_path;
pub mod local_time;
pub mod master;
pub mod nfc;
pub mod store;
pub mod sync;
mod text_enum;
pub mod validate;
pub mod visit;

pub use ids::VisitId;
pub use store::{OpenOptions, Store, StoreError, StoreKey};

// The uniffi scaffolding must sit at the crate root (it defines `crate::UniFfiTag`); see ffi_types.
#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();
