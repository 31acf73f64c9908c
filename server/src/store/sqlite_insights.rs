//! [`InsightTx`] over one SQLite transaction.

use rusqlite::{Statement, ToSql};

use super::{
    doc_id,
    insights::{
        sql, Awaiting, FactKind, InsightFact, InsightTx, MoveMaterial, NeedCount, StageCount, StageMove,
    },
    sqlite_tx::SqliteTx,
    to_i64, to_u64, StoreError,
};

/// Binds `values` to the statement's `$1`, `$2` … by name (SQLite numbers parameters by first use).
fn bind(stmt: &mut Statement<'_>, values: &[&dyn ToSql]) -> Result<(), StoreError> {
    for (i, value) in values.iter().enumerate() {
        let index = stmt
            .parameter_index(&format!("${}", i + 1))?
            .ok_or_else(|| StoreError::Inconsistent(format!("a query has no parameter ${}", i + 1)))?;
        stmt.raw_bind_parameter(index, value)?;
    }
    Ok(())
}

fn rank(n: Option<i64>) -> Result<Option<u32>, StoreError> {
    n.map(|n| u32::try_from(n).map_err(|_| StoreError::Inconsistent("a stored rank is out of range".into())))
        .transpose()
}

impl SqliteTx<'_> {
    /// Runs `query` with `values`, reading each row with `read`.
    fn rows<T>(
        &mut self,
        query: &str,
        values: &[&dyn ToSql],
        mut read: impl FnMut(&rusqlite::Row<'_>) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        let mut stmt = self.tx.prepare_cached(query)?;
        bind(&mut stmt, values)?;
        let mut rows = stmt.raw_query();
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(read(row)?);
        }
        Ok(out)
    }
}

impl InsightTx for SqliteTx<'_> {
    fn put_insight_facts(&mut self, rep_id: &str, facts: &[InsightFact]) -> Result<(), StoreError> {
        self.rows(sql::DELETE_OF_REP, &[&rep_id], |_| Ok(()))?;
        let mut insert = self.tx.prepare_cached(sql::INSERT)?;
        for f in facts {
            bind(
                &mut insert,
                &[
                    &f.doc_id.as_slice(),
                    &f.rep_id,
                    &f.hcp_id,
                    &f.started_at_ms,
                    &f.day,
                    &f.kind.as_str(),
                    &f.product_id,
                    &f.code,
                    &f.rank,
                    &f.item_id,
                    &f.topic,
                    &f.text,
                    &f.flag,
                    &f.previous.as_ref().map(|p| p.0.as_str()),
                    &f.previous.as_ref().and_then(|p| p.1),
                    &f.previous.as_ref().map(|p| p.2.as_slice()),
                    &f.next_started_at_ms,
                ],
            )?;
            insert.raw_execute()?;
        }
        Ok(())
    }

    fn need_counts(&mut self, from_ms: i64, until_ms: i64) -> Result<Vec<NeedCount>, StoreError> {
        self.rows(sql::NEED_COUNTS, &[&from_ms, &until_ms], |r| {
            Ok(NeedCount {
                day: r.get(0)?,
                product_id: r.get(1)?,
                topic: r.get(2)?,
                visits: to_u64(r.get(3)?)?,
            })
        })
    }

    fn stage_counts(&mut self, until_ms: i64) -> Result<Vec<StageCount>, StoreError> {
        self.rows(sql::STAGE_COUNTS, &[&until_ms], |r| {
            Ok(StageCount {
                product_id: r.get(0)?,
                stage: r.get(1)?,
                rank: rank(r.get(2)?)?,
                doctors: to_u64(r.get(3)?)?,
            })
        })
    }

    fn stage_moves(&mut self, from_ms: i64, until_ms: i64) -> Result<Vec<StageMove>, StoreError> {
        self.rows(sql::STAGE_MOVES, &[&from_ms, &until_ms], |r| {
            let (before, after): (Option<i64>, Option<i64>) = (r.get(2)?, r.get(4)?);
            Ok(StageMove {
                product_id: r.get(0)?,
                from: r.get(1)?,
                to: r.get(3)?,
                up: matches!((before, after), (Some(b), Some(a)) if a > b),
                moves: to_u64(r.get(5)?)?,
            })
        })
    }

    fn move_materials(&mut self, from_ms: i64, until_ms: i64) -> Result<Vec<MoveMaterial>, StoreError> {
        self.rows(sql::MOVE_MATERIALS, &[&from_ms, &until_ms], |r| {
            Ok(MoveMaterial {
                material_id: r.get(0)?,
                version: rank(r.get(1)?)?.unwrap_or_default(),
                moves_up: to_u64(r.get(2)?)?,
            })
        })
    }

    fn awaiting(&mut self, limit: u64) -> Result<(u64, Vec<Awaiting>), StoreError> {
        let count = self.rows(sql::AWAITING_COUNT, &[], |r| to_u64(r.get(0)?))?;
        let limit = to_i64(limit)?;
        let items = self.rows(sql::AWAITING, &[&limit], |r| {
            let kind: String = r.get(4)?;
            Ok(Awaiting {
                doc_id: doc_id(&r.get::<_, Vec<u8>>(0)?)?,
                rep_id: r.get(1)?,
                hcp_id: r.get(2)?,
                started_at_ms: r.get(3)?,
                kind: FactKind::parse(&kind)
                    .ok_or_else(|| StoreError::Inconsistent(format!("an insight row of kind {kind}")))?,
                product_id: r.get(5)?,
                text: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
            })
        })?;
        Ok((count.into_iter().next().unwrap_or(0), items))
    }

    fn safety_overdue(&mut self, before_ms: i64) -> Result<u64, StoreError> {
        let count = self.rows(sql::SAFETY_OVERDUE, &[&before_ms], |r| to_u64(r.get(0)?))?;
        Ok(count.into_iter().next().unwrap_or(0))
    }
}
