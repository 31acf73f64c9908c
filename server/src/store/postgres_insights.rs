//! [`InsightTx`] over one PostgreSQL transaction.

use super::{
    doc_id,
    insights::{
        sql, Awaiting, FactKind, InsightFact, InsightTx, MoveMaterial, NeedCount, StageCount, StageMove,
    },
    postgres_tx::PgTx,
    to_i64, to_u64, StoreError,
};

fn rank(n: Option<i32>) -> Result<Option<u32>, StoreError> {
    n.map(|n| u32::try_from(n).map_err(|_| StoreError::Inconsistent("a stored rank is out of range".into())))
        .transpose()
}

fn rank_column(n: Option<u32>) -> Result<Option<i32>, StoreError> {
    n.map(|n| {
        i32::try_from(n).map_err(|_| StoreError::Inconsistent(format!("rank {n} does not fit 31 bits")))
    })
    .transpose()
}

impl InsightTx for PgTx<'_> {
    fn put_insight_facts(&mut self, rep_id: &str, facts: &[InsightFact]) -> Result<(), StoreError> {
        self.execute(sql::DELETE_OF_REP, &[&rep_id])?;
        for f in facts {
            let rank = rank_column(f.rank)?;
            let previous_rank = rank_column(f.previous.as_ref().and_then(|p| p.1))?;
            self.execute(
                sql::INSERT,
                &[
                    &f.doc_id.as_slice(),
                    &f.rep_id,
                    &f.hcp_id,
                    &f.started_at_ms,
                    &f.day,
                    &f.kind.as_str(),
                    &f.product_id,
                    &f.code,
                    &rank,
                    &f.item_id,
                    &f.topic,
                    &f.text,
                    &f.flag,
                    &f.previous.as_ref().map(|p| p.0.as_str()),
                    &previous_rank,
                    &f.previous.as_ref().map(|p| p.2.as_slice()),
                    &f.next_started_at_ms,
                ],
            )?;
        }
        Ok(())
    }

    fn need_counts(&mut self, from_ms: i64, until_ms: i64) -> Result<Vec<NeedCount>, StoreError> {
        let rows = self.query(sql::NEED_COUNTS, &[&from_ms, &until_ms])?;
        rows.iter()
            .map(|r| {
                Ok(NeedCount {
                    day: r.try_get(0)?,
                    product_id: r.try_get(1)?,
                    topic: r.try_get(2)?,
                    visits: to_u64(r.try_get(3)?)?,
                })
            })
            .collect()
    }

    fn stage_counts(&mut self, until_ms: i64) -> Result<Vec<StageCount>, StoreError> {
        let rows = self.query(sql::STAGE_COUNTS, &[&until_ms])?;
        rows.iter()
            .map(|r| {
                Ok(StageCount {
                    product_id: r.try_get(0)?,
                    stage: r.try_get(1)?,
                    rank: rank(r.try_get(2)?)?,
                    doctors: to_u64(r.try_get(3)?)?,
                })
            })
            .collect()
    }

    fn stage_moves(&mut self, from_ms: i64, until_ms: i64) -> Result<Vec<StageMove>, StoreError> {
        let rows = self.query(sql::STAGE_MOVES, &[&from_ms, &until_ms])?;
        rows.iter()
            .map(|r| {
                let (before, after): (Option<i32>, Option<i32>) = (r.try_get(2)?, r.try_get(4)?);
                Ok(StageMove {
                    product_id: r.try_get(0)?,
                    from: r.try_get(1)?,
                    to: r.try_get(3)?,
                    up: matches!((before, after), (Some(b), Some(a)) if a > b),
                    moves: to_u64(r.try_get(5)?)?,
                })
            })
            .collect()
    }

    fn move_materials(&mut self, from_ms: i64, until_ms: i64) -> Result<Vec<MoveMaterial>, StoreError> {
        let rows = self.query(sql::MOVE_MATERIALS, &[&from_ms, &until_ms])?;
        rows.iter()
            .map(|r| {
                Ok(MoveMaterial {
                    material_id: r.try_get(0)?,
                    version: rank(r.try_get(1)?)?.unwrap_or_default(),
                    moves_up: to_u64(r.try_get(2)?)?,
                })
            })
            .collect()
    }

    fn awaiting(&mut self, limit: u64) -> Result<(u64, Vec<Awaiting>), StoreError> {
        let count = to_u64(self.query_one(sql::AWAITING_COUNT, &[])?.try_get(0)?)?;
        let rows = self.query(sql::AWAITING, &[&to_i64(limit)?])?;
        let items = rows
            .iter()
            .map(|r| {
                let kind: String = r.try_get(4)?;
                Ok(Awaiting {
                    doc_id: doc_id(&r.try_get::<_, Vec<u8>>(0)?)?,
                    rep_id: r.try_get(1)?,
                    hcp_id: r.try_get(2)?,
                    started_at_ms: r.try_get(3)?,
                    kind: FactKind::parse(&kind)
                        .ok_or_else(|| StoreError::Inconsistent(format!("an insight row of kind {kind}")))?,
                    product_id: r.try_get(5)?,
                    text: r.try_get::<_, Option<String>>(6)?.unwrap_or_default(),
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok((count, items))
    }
}
