//! The protocol's versions and limits, and the error of a body that breaks them: what both the wire messages and
//! their deflated envelope need, in one leaf module.

/// The protocol version this build speaks: 2, the v1 messages in a deflated envelope ([`super::envelope`]).
pub const PROTOCOL_VERSION: u16 = 2;
/// The oldest version this build still reads (and answers in, for devices not yet updated).
pub const OLDEST_VERSION: u16 = 1;
/// The most documents one request may carry.
pub const MAX_DOCS_PER_REQUEST: usize = 500;
/// The largest body the server accepts, bytes.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// A body that is not a valid message of this protocol.
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    #[error("malformed sync message: {0}")]
    Malformed(String),
    #[error(
        "unsupported sync protocol version {0} (this build speaks {OLDEST_VERSION} to {PROTOCOL_VERSION})"
    )]
    Version(u16),
}
