//! Store-level contract cases: the exchanges run against one `ServerStore`. Every store runs every case.

mod announce;
mod comments;
mod content;
mod fallback;
mod insights;
mod interleaved;
mod pull;
mod scope;
mod sync;
mod tokens;
mod verdicts;

pub use announce::*;
pub use comments::*;
pub use content::*;
pub use fallback::*;
pub use insights::*;
pub use interleaved::*;
pub use pull::*;
pub use scope::*;
pub use sync::*;
pub use tokens::*;
pub use verdicts::*;
