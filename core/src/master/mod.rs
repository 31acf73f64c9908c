//! Master data: reps and their portfolio, institutions, HCPs, products, the materials catalog, and the catalog of
//! doctor insights (adoption ladder, topic taxonomy).
//!
//! Read-only on the device; it arrives as JSON (a file, later the server's delta) and is imported in one
//! transaction.

mod catalog;
mod import;
mod model;
mod query;

pub(crate) use catalog::load_catalog;
pub use catalog::{AdoptionStage, InsightCatalog, Topic};
pub use import::{ImportError, MasterCountsImported};
pub use model::{CardKey, Hcp, Institution, MasterData, Material, MaterialStatus, Product, Rep};
pub use query::MasterCounts;
