//! [`HistoryTx`] over one PostgreSQL transaction.

use super::{
    history::{fixed, HistoryTx},
    postgres_tx::PgTx,
    to_i64, to_u64, StoreError,
};

impl HistoryTx for PgTx<'_> {
    fn server_id(&mut self) -> Result<[u8; 16], StoreError> {
        let row = self.query_one("SELECT id FROM server_identity WHERE only_row = 1", &[])?;
        fixed(row.try_get(0)?, "server identity")
    }

    fn chain_at(&mut self, seq: u64) -> Result<Option<[u8; 32]>, StoreError> {
        let row = self.query_opt("SELECT chain FROM feed_chain WHERE seq = $1", &[&to_i64(seq)?])?;
        row.map(|row| fixed(row.try_get(0)?, "chain hash")).transpose()
    }

    fn chain_head(&mut self) -> Result<(u64, [u8; 32]), StoreError> {
        let row = self.query_one("SELECT seq, chain FROM feed_chain ORDER BY seq DESC LIMIT 1", &[])?;
        Ok((to_u64(row.try_get(0)?)?, fixed(row.try_get(1)?, "chain hash")?))
    }

    fn put_chain(&mut self, seq: u64, chain: &[u8; 32]) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO feed_chain (seq, chain) VALUES ($1, $2)",
            &[&to_i64(seq)?, &chain.as_slice()],
        )?;
        Ok(())
    }
}
