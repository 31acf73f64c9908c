//! MR Companion core: everything the apps share, in plain Rust.
//!
//! - [`store`]: the local SQLite store (WAL, one writer, readers, migrations, corrupt-file recovery).
//! - [`master`]: master data (reps, institutions, HCPs, products, materials) and its JSON import.
//! - [`visit`]: visits as automerge documents with a projection row for queries.
//! - [`validate`]: findings (errors and warnings with ja/en messages) and the reliability score.
//! - [`seed`]: a realistic sample territory for demos and benchmarks.

pub mod calendar;
pub mod ids;
pub mod json_path;
pub mod master;
pub mod nfc;
pub mod seed;
pub mod store;
pub mod validate;
pub mod visit;

pub use ids::VisitId;
pub use store::{Store, StoreError};
