//! Store-level contract cases: the exchanges run against one `ServerStore`. Every store runs every case.

mod pull;
mod scope;
mod sync;

pub use pull::*;
pub use scope::*;
pub use sync::*;
