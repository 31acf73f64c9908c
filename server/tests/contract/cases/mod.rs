//! Store-level contract cases: the exchanges run against one `ServerStore`. Every store runs every case.

mod content;
mod pull;
mod scope;
mod sync;

pub use content::*;
pub use pull::*;
pub use scope::*;
pub use sync::*;
