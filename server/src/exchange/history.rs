//! Whether a device still talks to the history it last saw (ADR 0023).
//!
//! Every write transaction extends a chain hash over what it wrote (sequence number, visit, heads), stored at its
//! last sequence number. A device keeps the server's identity and the chain's head from its last answer, and sends
//! them back. A database restored from an older copy has lost that chain row, or — once other devices have written
//! past the position since — holds another hash there; another database has another identity. Either way the
//! device's agreements ("the server has these heads") are no longer true, and it must reconcile.

use mrc_core::sync::wire::{DocId, Hash, ServerMark, SyncRequest};
use sha2::{Digest, Sha256};

use crate::{store::Tx, ServerError};

/// Domain separation of the chain's hash input.
const CHAIN_CONTEXT: &[u8] = b"mrc feed chain v1";

/// Extends the chain over one write transaction's writes (visit and heads, in sequence order), which took the
/// sequence numbers from `first` on. Writers hold the sequence counter until they commit, so the chain's head is
/// the previous writer's row.
pub fn extend(tx: &mut dyn Tx, first: u64, writes: &[(DocId, &[[u8; 32]])]) -> Result<(), ServerError> {
    let Some(count) = u64::try_from(writes.len()).ok().filter(|&n| n > 0) else {
        return Ok(());
    };
    let (head, previous) = tx.chain_head()?;
    if head.checked_add(1) != Some(first) {
        return Err(ServerError::Internal(format!(
            "the history's chain ends at {head}, but this write starts at {first}"
        )));
    }
    let mut hash = Sha256::new();
    hash.update(CHAIN_CONTEXT);
    hash.update(previous);
    for (seq, (id, heads)) in (first..).zip(writes) {
        hash.update(seq.to_be_bytes());
        hash.update(id);
        hash.update((heads.len() as u64).to_be_bytes());
        heads.iter().for_each(|h| hash.update(h));
    }
    tx.put_chain(first + count - 1, &hash.finalize().into())?;
    Ok(())
}

/// This server's identity and the head of its history, as the device keeps them.
pub fn mark(tx: &mut dyn Tx) -> Result<ServerMark, ServerError> {
    let (seq, chain) = tx.chain_head()?;
    Ok(ServerMark {
        id: tx.server_id()?,
        seq,
        chain: Hash::new(chain),
    })
}

/// Whether the device's last view of the server is not in this history: the server was restored from an older
/// copy, or it is another database. A device from before marks can only be caught with a cursor beyond the head.
pub fn lost(tx: &mut dyn Tx, request: &SyncRequest) -> Result<bool, ServerError> {
    Ok(match &request.server {
        Some(seen) => seen.id != tx.server_id()? || tx.chain_at(seen.seq)? != Some(seen.chain.into_array()),
        None => request.cursor > tx.chain_head()?.0,
    })
}
