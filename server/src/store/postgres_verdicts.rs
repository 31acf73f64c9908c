//! [`VerdictTx`] over one PostgreSQL transaction. Several server processes share the queue: a worker takes a rep
//! with `FOR UPDATE SKIP LOCKED` and a lease, so no two compute the same rep at once.

use super::{
    doc_id,
    postgres_tx::{pg_event, PgTx},
    to_i64, to_u64,
    verdicts::{
        code_pattern, codes_from_column, codes_to_column, Claim, RepTally, VerdictFilter, VerdictTx,
        VisitVerdict,
    },
    StoreError, StoredEvent,
};

fn u32_of(n: i32, what: &str) -> Result<u32, StoreError> {
    u32::try_from(n).map_err(|_| StoreError::Inconsistent(format!("a stored {what} is out of range")))
}

fn i32_of(n: u32, what: &str) -> Result<i32, StoreError> {
    i32::try_from(n).map_err(|_| StoreError::Inconsistent(format!("{what} {n} does not fit 31 bits")))
}

impl VerdictTx for PgTx<'_> {
    fn queue_reps(&mut self, reps: &[String], now_ms: i64) -> Result<(), StoreError> {
        // One statement for all; sorted so that concurrent writers lock the rows in the same order.
        let mut reps = reps.to_vec();
        reps.sort();
        reps.dedup();
        self.execute(
            "INSERT INTO verdict_queue (rep_id, generation, queued_at_ms, lease_until_ms)
             SELECT r, 1, $2, 0 FROM unnest($1::text[]) AS r
             ON CONFLICT (rep_id) DO UPDATE SET generation = verdict_queue.generation + 1",
            &[&reps, &now_ms],
        )?;
        Ok(())
    }

    fn claim_rep(&mut self, now_ms: i64, lease_until_ms: i64) -> Result<Option<Claim>, StoreError> {
        let row = self.query_opt(
            "UPDATE verdict_queue SET lease_until_ms = $2
             WHERE rep_id = (SELECT rep_id FROM verdict_queue WHERE lease_until_ms <= $1
                             ORDER BY queued_at_ms, rep_id LIMIT 1 FOR UPDATE SKIP LOCKED)
             RETURNING rep_id, generation",
            &[&now_ms, &lease_until_ms],
        )?;
        row.map(|r| {
            Ok(Claim {
                rep_id: r.try_get(0)?,
                generation: r.try_get(1)?,
            })
        })
        .transpose()
    }

    fn release_rep(&mut self, claim: &Claim) -> Result<bool, StoreError> {
        let removed = self.execute(
            "DELETE FROM verdict_queue WHERE rep_id = $1 AND generation = $2",
            &[&claim.rep_id, &claim.generation],
        )?;
        if removed == 0 {
            self.execute(
                "UPDATE verdict_queue SET lease_until_ms = 0 WHERE rep_id = $1",
                &[&claim.rep_id],
            )?;
        }
        Ok(removed == 1)
    }

    fn queue_state(&mut self) -> Result<(u64, Option<i64>), StoreError> {
        let row = self.query_one("SELECT count(*), min(queued_at_ms) FROM verdict_queue", &[])?;
        Ok((to_u64(row.try_get(0)?)?, row.try_get(1)?))
    }

    fn put_verdicts(
        &mut self,
        rep_id: &str,
        tally: &RepTally,
        verdicts: &[VisitVerdict],
    ) -> Result<(), StoreError> {
        self.execute("DELETE FROM verdicts WHERE rep_id = $1", &[&rep_id])?;
        for v in verdicts {
            let amendments = i32_of(v.amendments, "an amendment count")?;
            self.execute(
                "INSERT INTO verdicts (doc_id, rep_id, started_at_ms, score, codes, reasons, status,
                                       needs_review, amendments)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                &[
                    &v.doc_id.as_slice(),
                    &v.rep_id,
                    &v.started_at_ms,
                    &i16::from(v.score),
                    &codes_to_column(&v.codes),
                    &v.reasons,
                    &v.status,
                    &v.needs_review,
                    &amendments,
                ],
            )?;
        }
        let (shown, missed) = (
            i32_of(tally.shown, "a tap count")?,
            i32_of(tally.missed, "a tap count")?,
        );
        self.execute(
            "INSERT INTO verdict_reps (rep_id, shown, missed, shortfall_percent) VALUES ($1, $2, $3, $4)
             ON CONFLICT (rep_id) DO UPDATE SET shown = $2, missed = $3, shortfall_percent = $4",
            &[
                &rep_id,
                &shown,
                &missed,
                &tally.shortfall_percent.map(|p| p as i32),
            ],
        )?;
        Ok(())
    }

    fn rep_tallies(&mut self) -> Result<Vec<(String, RepTally)>, StoreError> {
        let rows = self.query(
            "SELECT rep_id, shown, missed, shortfall_percent FROM verdict_reps ORDER BY rep_id",
            &[],
        )?;
        rows.iter()
            .map(|r| {
                let percent: Option<i32> = r.try_get(3)?;
                let tally = RepTally {
                    shown: u32_of(r.try_get(1)?, "tap count")?,
                    missed: u32_of(r.try_get(2)?, "tap count")?,
                    shortfall_percent: percent.map(i64::from),
                };
                Ok((r.try_get(0)?, tally))
            })
            .collect()
    }

    fn lock_team(&mut self) -> Result<(), StoreError> {
        // The row lock is held until this transaction ends: writers comparing tallies take turns, and each sees
        // the others' committed tallies.
        self.execute(
            "UPDATE counters SET value = value + 1 WHERE name = 'verdicts_team'",
            &[],
        )?;
        Ok(())
    }

    fn verdict_basis(&mut self) -> Result<(u64, u64), StoreError> {
        let rows = self.query(
            "SELECT name, value FROM counters WHERE name IN ('verdicts_master', 'verdicts_rules')",
            &[],
        )?;
        let (mut master, mut rules) = (0, 0);
        for r in &rows {
            let name: String = r.try_get(0)?;
            let value = to_u64(r.try_get(1)?)?;
            if name == "verdicts_master" {
                master = value;
            } else {
                rules = value;
            }
        }
        Ok((master, rules))
    }

    fn set_verdict_basis(&mut self, master: u64, rules: u64) -> Result<(), StoreError> {
        let (master, rules) = (to_i64(master)?, to_i64(rules)?);
        for (name, value) in [("verdicts_master", master), ("verdicts_rules", rules)] {
            self.execute("UPDATE counters SET value = $2 WHERE name = $1", &[&name, &value])?;
        }
        Ok(())
    }

    fn verdicts(
        &mut self,
        filter: &VerdictFilter,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<VisitVerdict>, StoreError> {
        let rows = self.query(
            "SELECT doc_id, rep_id, started_at_ms, score, codes, reasons, status, needs_review, amendments
             FROM verdicts
             WHERE ($1::bigint IS NULL OR started_at_ms >= $1) AND ($2::bigint IS NULL OR started_at_ms < $2)
               AND ($3::text IS NULL OR rep_id = $3) AND ($4::text IS NULL OR codes LIKE $4)
             ORDER BY started_at_ms DESC NULLS LAST, doc_id LIMIT $5 OFFSET $6",
            &[
                &filter.from_ms,
                &filter.until_ms,
                &filter.rep_id,
                &filter.code.as_deref().map(code_pattern),
                &to_i64(limit)?,
                &to_i64(offset)?,
            ],
        )?;
        rows.iter()
            .map(|r| {
                let score: i16 = r.try_get(3)?;
                let amendments: i32 = r.try_get(8)?;
                Ok(VisitVerdict {
                    doc_id: doc_id(r.try_get(0)?)?,
                    rep_id: r.try_get(1)?,
                    started_at_ms: r.try_get(2)?,
                    score: u8::try_from(score)
                        .map_err(|_| StoreError::Inconsistent("a stored score is out of range".into()))?,
                    codes: codes_from_column(r.try_get(4)?),
                    reasons: r.try_get(5)?,
                    status: r.try_get(6)?,
                    needs_review: r.try_get(7)?,
                    amendments: u32_of(amendments, "amendment count")?,
                })
            })
            .collect()
    }

    fn events_of_rep(&mut self, rep_id: &str) -> Result<Vec<StoredEvent>, StoreError> {
        let rows = self.query(
            "SELECT rep_id, id, kind, occurred_at_ms, card_id, material_id, material_version, verification,
                    visit_id
             FROM events WHERE rep_id = $1 ORDER BY occurred_at_ms, id",
            &[&rep_id],
        )?;
        rows.iter().map(pg_event).collect()
    }
}
