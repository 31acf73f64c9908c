//! Sync: the wire protocol shared with the server, and the device's client side (state, transport, the exchange).

mod client;
mod envelope;
mod error;
mod limits;
mod reconcile;
pub mod state;
mod token;
mod transport;
pub mod wire;

pub use client::{SyncProgress, SyncReport};
pub use error::{AuthRefusal, SyncError, SyncFailureKind};
pub use token::{NewToken, ROTATE_EVERY_DAYS};
pub use transport::{Transport, TransportError};
