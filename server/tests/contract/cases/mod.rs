//! Store-level contract cases: the exchanges run against one `ServerStore`. Every store runs every case.

mod comments;
mod content;
mod fallback;
mod pull;
mod scope;
mod sync;

pub use comments::*;
pub use content::*;
pub use fallback::*;
pub use pull::*;
pub use scope::*;
pub use sync::*;
