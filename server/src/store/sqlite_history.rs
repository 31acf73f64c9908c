//! [`HistoryTx`] over one SQLite transaction.

use rusqlite::OptionalExtension;

use super::{
    history::{fixed, HistoryTx},
    sqlite_tx::SqliteTx,
    to_i64, to_u64, StoreError,
};

impl HistoryTx for SqliteTx<'_> {
    fn server_id(&mut self) -> Result<[u8; 16], StoreError> {
        let id: Vec<u8> = self
            .tx
            .prepare_cached("SELECT id FROM server_identity WHERE only_row = 1")?
            .query_row([], |row| row.get(0))?;
        fixed(&id, "server identity")
    }

    fn chain_at(&mut self, seq: u64) -> Result<Option<[u8; 32]>, StoreError> {
        let chain: Option<Vec<u8>> = self
            .tx
            .prepare_cached("SELECT chain FROM feed_chain WHERE seq = ?1")?
            .query_row([to_i64(seq)?], |row| row.get(0))
            .optional()?;
        chain.map(|c| fixed(&c, "chain hash")).transpose()
    }

    fn chain_head(&mut self) -> Result<(u64, [u8; 32]), StoreError> {
        let (seq, chain): (i64, Vec<u8>) = self
            .tx
            .prepare_cached("SELECT seq, chain FROM feed_chain ORDER BY seq DESC LIMIT 1")?
            .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok((to_u64(seq)?, fixed(&chain, "chain hash")?))
    }

    fn put_chain(&mut self, seq: u64, chain: &[u8; 32]) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("INSERT INTO feed_chain (seq, chain) VALUES (?1, ?2)")?
            .execute((to_i64(seq)?, chain.as_slice()))?;
        Ok(())
    }
}
