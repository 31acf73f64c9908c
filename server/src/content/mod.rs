//! Material content: files stored content-addressed by SHA-256 in the server's database, served by byte range.
//!
//! - [`hash`]: [`ContentHash`] (64 lower-case hex digits) and [`VerifiedContent`], bytes whose hash was checked,
//!   the only thing [`crate::store::Tx::put_content`] accepts.
//! - [`range`]: reading a `Range: bytes=…` header.
//! - [`serve`]: [`serve_range`], the ranged `GET` answer (also for a browser landing page).
//! - [`add`]: `mrc admin content add`: a file checked against the imported master data, then stored.
//! - [`prune`]: `mrc admin content prune`: delete files no approved, unexpired material version references.
//!
//! The design is in `docs/adr/0013-material-content.md`.

pub mod add;
mod error;
pub mod hash;
pub mod prune;
pub mod range;
pub mod serve;

pub use add::{add_material_content, AddedContent};
pub use error::ContentError;
pub use hash::{ContentHash, VerifiedContent};
pub use prune::{prune_content, Pruned};
pub use serve::serve_range;
