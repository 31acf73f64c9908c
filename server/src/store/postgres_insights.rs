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

/// Rows per insert: one statement carries a rep's rows as arrays (a row per statement cost seconds per sync).
const INSERT_CHUNK: usize = 5_000;

/// [`sql::INSERT`] with one array per column, unnested into rows by the server.
const INSERT_UNNEST: &str =
    "INSERT INTO insight_facts (doc_id, rep_id, hcp_id, started_at_ms, day, kind, product_id,
                              code, rank, item_id, topic, text, flag, previous_code, previous_rank, previous_doc,
                              next_started_at_ms)
     SELECT * FROM unnest($1::bytea[], $2::text[], $3::text[], $4::int8[], $5::text[], $6::text[], $7::text[],
                          $8::text[], $9::int4[], $10::text[], $11::text[], $12::text[], $13::bool[], $14::text[],
                          $15::int4[], $16::bytea[], $17::int8[])";

/// Insight rows as one array per column.
struct Columns<'a> {
    doc_id: Vec<&'a [u8]>,
    rep_id: Vec<&'a str>,
    hcp_id: Vec<Option<&'a str>>,
    started_at_ms: Vec<Option<i64>>,
    day: Vec<Option<&'a str>>,
    kind: Vec<&'static str>,
    product_id: Vec<Option<&'a str>>,
    code: Vec<&'a str>,
    rank: Vec<Option<i32>>,
    item_id: Vec<Option<&'a str>>,
    topic: Vec<Option<&'a str>>,
    text: Vec<Option<&'a str>>,
    flag: Vec<bool>,
    previous_code: Vec<Option<&'a str>>,
    previous_rank: Vec<Option<i32>>,
    previous_doc: Vec<Option<&'a [u8]>>,
    next_started_at_ms: Vec<Option<i64>>,
}

impl<'a> Columns<'a> {
    fn of(facts: &'a [InsightFact]) -> Result<Self, StoreError> {
        Ok(Columns {
            doc_id: facts.iter().map(|f| f.doc_id.as_slice()).collect(),
            rep_id: facts.iter().map(|f| f.rep_id.as_str()).collect(),
            hcp_id: facts.iter().map(|f| f.hcp_id.as_deref()).collect(),
            started_at_ms: facts.iter().map(|f| f.started_at_ms).collect(),
            day: facts.iter().map(|f| f.day.as_deref()).collect(),
            kind: facts.iter().map(|f| f.kind.as_str()).collect(),
            product_id: facts.iter().map(|f| f.product_id.as_deref()).collect(),
            code: facts.iter().map(|f| f.code.as_str()).collect(),
            rank: facts
                .iter()
                .map(|f| rank_column(f.rank))
                .collect::<Result<_, _>>()?,
            item_id: facts.iter().map(|f| f.item_id.as_deref()).collect(),
            topic: facts.iter().map(|f| f.topic.as_deref()).collect(),
            text: facts.iter().map(|f| f.text.as_deref()).collect(),
            flag: facts.iter().map(|f| f.flag).collect(),
            previous_code: facts
                .iter()
                .map(|f| f.previous.as_ref().map(|p| p.0.as_str()))
                .collect(),
            previous_rank: facts
                .iter()
                .map(|f| rank_column(f.previous.as_ref().and_then(|p| p.1)))
                .collect::<Result<_, _>>()?,
            previous_doc: facts
                .iter()
                .map(|f| f.previous.as_ref().map(|p| p.2.as_slice()))
                .collect(),
            next_started_at_ms: facts.iter().map(|f| f.next_started_at_ms).collect(),
        })
    }
}

impl InsightTx for PgTx<'_> {
    fn put_insight_facts(&mut self, rep_id: &str, facts: &[InsightFact]) -> Result<(), StoreError> {
        self.execute(sql::DELETE_OF_REP, &[&rep_id])?;
        for chunk in facts.chunks(INSERT_CHUNK) {
            let c = Columns::of(chunk)?;
            self.execute(
                INSERT_UNNEST,
                &[
                    &c.doc_id,
                    &c.rep_id,
                    &c.hcp_id,
                    &c.started_at_ms,
                    &c.day,
                    &c.kind,
                    &c.product_id,
                    &c.code,
                    &c.rank,
                    &c.item_id,
                    &c.topic,
                    &c.text,
                    &c.flag,
                    &c.previous_code,
                    &c.previous_rank,
                    &c.previous_doc,
                    &c.next_started_at_ms,
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

    fn safety_overdue(&mut self, before_ms: i64) -> Result<u64, StoreError> {
        to_u64(self.query_one(sql::SAFETY_OVERDUE, &[&before_ms])?.try_get(0)?)
    }
}
