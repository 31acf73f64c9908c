//! The server's identity and the chain of its history, as stored (ADR 0023). [`HistoryTx`] is the part of a
//! transaction that reads and extends them; `crate::exchange::history` decides what they mean.

use super::StoreError;

/// A transaction's access to the server's identity and its history's chain.
pub trait HistoryTx {
    /// This database's identity, created with it.
    fn server_id(&mut self) -> Result<[u8; 16], StoreError>;
    /// The chain hash stored at `seq`, if a write transaction ended there (or the database began there).
    fn chain_at(&mut self, seq: u64) -> Result<Option<[u8; 32]>, StoreError>;
    /// The newest chain row: the feed's head and its hash.
    fn chain_head(&mut self) -> Result<(u64, [u8; 32]), StoreError>;
    /// Stores the chain hash of the write transaction that ended at `seq`.
    fn put_chain(&mut self, seq: u64, chain: &[u8; 32]) -> Result<(), StoreError>;
}

/// A stored fixed-size value (an identity, a hash).
pub(crate) fn fixed<const N: usize>(bytes: &[u8], what: &str) -> Result<[u8; N], StoreError> {
    <[u8; N]>::try_from(bytes)
        .map_err(|_| StoreError::Inconsistent(format!("a stored {what} is not {N} bytes")))
}
