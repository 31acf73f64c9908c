//! mrc-ffi: the thin uniffi surface of the MR Companion core for Kotlin and Swift.
//!
//! - [`MrcStore`] (`store`, `visits`, `validation`): one object per open store; every method is a one-line
//!   forward into `mrc-core`, run under `error::guard` so a panic becomes [`MrcError::Internal`].
//! - [`DeviceClock`] (`clock`): the clock a store stamps and judges by (the system's unless the app gives one).
//! - [`MrcError`] (`error`): the one error an app acts on, mapped from the core's errors in one place.
//! - `insights`: topics, a possible adverse event and an off-label question proposed from notes (the core's types).
//! - `tap`: NFC taps from NDEF bytes (Android) or records (iOS), mapped from the core's tap outcome.
//! - [`VisitObserver`] (`observer`): a callback interface the app implements to hear about visit changes.
//! - `sync`: [`MrcStore::sync`] through a [`SyncTransport`] the app implements, progress to a
//!   [`SyncProgressListener`]; the report and progress records are the core's.
//! - `content`: [`MrcStore::fetch_content`] through a [`ContentDownloader`] (ranged `GET`) the app implements,
//!   byte progress to a [`ContentProgressListener`]; material files land in a directory the app chooses.
//! - `probes` (feature `test-probes`): exports only the binding tests and the FFI benchmark need (a panic inside
//!   the core, a live-store count, a test card, the benchmark inputs and its Rust-side loop).
//!
//! The records and enums (visits, findings, reports) are the core's own types, derived under its `uniffi`
//! feature; time and id mappings are in `mrc_core::ffi_types`. See docs/adr/0008-ffi-surface.md.

mod clock;
mod comments;
mod content;
mod error;
mod insights;
mod observer;
#[cfg(feature = "test-probes")]
mod probes;
mod store;
mod sync;
mod tap;
mod validation;
mod visits;

pub use clock::DeviceClock;
pub use content::{ContentDownloader, ContentProgressListener};
pub use error::MrcError;
pub use insights::suggest_insights;
pub use observer::{ChangeKind, VisitChange, VisitObserver};
pub use store::{HcpName, MrcStore};
pub use sync::{SyncProgressListener, SyncTransport, TransportFailure};
pub use tap::{ndef_uri_message, NdefRecordInput, TapAction, TapReason, TapResult, TapVerification};
pub use visits::{parse_visit_json, VisitInput};

uniffi::setup_scaffolding!();

// The core's time types cross with the conversions declared in mrc_core::ffi_types.
use mrc_core::ffi_types::{LocalDate, OffsetTime, UtcTime};
uniffi::use_remote_type!(mrc_core::OffsetTime);
uniffi::use_remote_type!(mrc_core::UtcTime);
uniffi::use_remote_type!(mrc_core::LocalDate);
