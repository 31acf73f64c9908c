//! Master data: reps and their portfolio, institutions, HCPs, products and the materials catalog.
//!
//! Read-only on the device; it arrives as JSON (a file, later the server's delta) and is imported in one
//! transaction.

mod import;
mod model;
mod query;

pub use import::{ImportError, MasterCountsImported};
pub use model::{CardKey, Hcp, Institution, MasterData, Material, MaterialStatus, Product, Rep};
pub use query::MasterCounts;
