//! Visits ("calls"): each one an automerge document, stored as chunks beside a projection row used by queries.

mod cache;
mod document;
mod error;
mod input;
mod model;
mod projection;
mod query;
mod remote;
mod repo;
mod review;
mod sync_message;

pub(crate) use cache::DocCache;
pub use document::{DocState, VisitDoc};
pub use error::VisitError;
pub use input::parse_visit_input;
pub use model::{
    Amendment, Channel, MaterialShown, ProductDiscussed, Reaction, Visit, VisitFields, VisitStatus,
};
pub(crate) use query::read_stored;
pub use query::VisitFilter;
pub(crate) use remote::{apply_remote, changes_since, has_heads, receive_sync, sync_message};
pub use repo::MergeOutcome;
