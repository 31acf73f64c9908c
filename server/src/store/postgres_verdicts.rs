//! [`VerdictTx`] over one PostgreSQL transaction. Several server processes share the queue: a worker takes a rep
//! with `FOR UPDATE SKIP LOCKED` and a lease, so no two compute the same rep at once.

use mrc_core::sync::wire::DocId;

use super::{
    doc_id,
    postgres_tx::{pg_event, PgTx},
    to_i64, to_u64,
    verdicts::{
        code_pattern, codes_from_column, codes_to_column, Claim, CodeVisits, EngagementCount, RepTally,
        ScoreCount, VerdictFilter, VerdictTx, VisitVerdict, QUARTER_HOUR_MS,
    },
    StoreError, StoredEvent,
};

fn u32_of(n: i32, what: &str) -> Result<u32, StoreError> {
    u32::try_from(n).map_err(|_| StoreError::Inconsistent(format!("a stored {what} is out of range")))
}

fn i32_of(n: u32, what: &str) -> Result<i32, StoreError> {
    i32::try_from(n).map_err(|_| StoreError::Inconsistent(format!("{what} {n} does not fit 31 bits")))
}

fn score_of(score: i16) -> Result<u8, StoreError> {
    u8::try_from(score).map_err(|_| StoreError::Inconsistent("a stored score is out of range".into()))
}

/// Reads one row of `doc_id, rep_id, started_at_ms, score, codes, reasons, status, needs_review, amendments`.
fn pg_verdict(r: &tokio_postgres::Row) -> Result<VisitVerdict, StoreError> {
    let amendments: i32 = r.try_get(8)?;
    Ok(VisitVerdict {
        doc_id: doc_id(r.try_get(0)?)?,
        rep_id: r.try_get(1)?,
        started_at_ms: r.try_get(2)?,
        score: score_of(r.try_get(3)?)?,
        codes: codes_from_column(r.try_get(4)?),
        reasons: r.try_get(5)?,
        status: r.try_get(6)?,
        needs_review: r.try_get(7)?,
        amendments: u32_of(amendments, "amendment count")?,
    })
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

    fn basis_versions(&mut self) -> Result<(u64, u64), StoreError> {
        let rows = self.query(
            "SELECT name, version FROM json_docs WHERE name IN ('master', 'rules')",
            &[],
        )?;
        let (mut master, mut rules) = (0, 0);
        for r in &rows {
            let name: String = r.try_get(0)?;
            let version = to_u64(r.try_get(1)?)?;
            if name == "master" {
                master = version;
            } else {
                rules = version;
            }
        }
        Ok((master, rules))
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
        rows.iter().map(pg_verdict).collect()
    }

    fn verdict(&mut self, doc_id: &DocId) -> Result<Option<VisitVerdict>, StoreError> {
        let row = self.query_opt(
            "SELECT doc_id, rep_id, started_at_ms, score, codes, reasons, status, needs_review, amendments
             FROM verdicts WHERE doc_id = $1",
            &[&doc_id.as_slice()],
        )?;
        row.as_ref().map(pg_verdict).transpose()
    }

    fn score_counts(&mut self, from_ms: i64, until_ms: i64) -> Result<Vec<ScoreCount>, StoreError> {
        let rows = self.query(
            "SELECT rep_id, score, count(*), count(*) FILTER (WHERE needs_review),
                    count(*) FILTER (WHERE amendments > 0)
             FROM verdicts WHERE started_at_ms >= $1 AND started_at_ms < $2 GROUP BY rep_id, score",
            &[&from_ms, &until_ms],
        )?;
        rows.iter()
            .map(|r| {
                Ok(ScoreCount {
                    rep_id: r.try_get(0)?,
                    score: score_of(r.try_get(1)?)?,
                    visits: to_u64(r.try_get(2)?)?,
                    needs_review: to_u64(r.try_get(3)?)?,
                    amended: to_u64(r.try_get(4)?)?,
                })
            })
            .collect()
    }

    fn code_counts(&mut self, from_ms: i64, until_ms: i64) -> Result<Vec<CodeVisits>, StoreError> {
        let rows = self.query(
            "SELECT rep_id, c, count(*) FROM verdicts, unnest(string_to_array(codes, ',')) AS c
             WHERE started_at_ms >= $1 AND started_at_ms < $2 AND c <> '' GROUP BY rep_id, c",
            &[&from_ms, &until_ms],
        )?;
        rows.iter()
            .map(|r| {
                Ok(CodeVisits {
                    rep_id: r.try_get(0)?,
                    code: r.try_get(1)?,
                    visits: to_u64(r.try_get(2)?)?,
                })
            })
            .collect()
    }

    fn to_look_at(
        &mut self,
        from_ms: i64,
        until_ms: i64,
        threshold: u8,
        offset: u64,
        limit: u64,
    ) -> Result<(u64, Vec<VisitVerdict>), StoreError> {
        let threshold = i16::from(threshold);
        let total = self.query_one(
            "SELECT count(*) FROM verdicts WHERE started_at_ms >= $1 AND started_at_ms < $2
               AND (score < $3 OR needs_review OR amendments > 0)",
            &[&from_ms, &until_ms, &threshold],
        )?;
        let rows = self.query(
            "SELECT doc_id, rep_id, started_at_ms, score, codes, reasons, status, needs_review, amendments
             FROM verdicts WHERE started_at_ms >= $1 AND started_at_ms < $2
               AND (score < $3 OR needs_review OR amendments > 0)
             ORDER BY score, doc_id LIMIT $4 OFFSET $5",
            &[&from_ms, &until_ms, &threshold, &to_i64(limit)?, &to_i64(offset)?],
        )?;
        let page = rows.iter().map(pg_verdict).collect::<Result<_, _>>()?;
        Ok((to_u64(total.try_get(0)?)?, page))
    }

    fn verdicts_after(
        &mut self,
        from_ms: i64,
        until_ms: i64,
        after: Option<(i64, DocId)>,
        limit: u64,
    ) -> Result<Vec<VisitVerdict>, StoreError> {
        let (start, id) = after.unwrap_or((i64::MIN, [0; 16]));
        let rows = self.query(
            "SELECT doc_id, rep_id, started_at_ms, score, codes, reasons, status, needs_review, amendments
             FROM verdicts WHERE started_at_ms >= $1 AND started_at_ms < $2
               AND (started_at_ms, doc_id) > ($3, $4)
             ORDER BY started_at_ms, doc_id LIMIT $5",
            &[&from_ms, &until_ms, &start, &id.as_slice(), &to_i64(limit)?],
        )?;
        rows.iter().map(pg_verdict).collect()
    }

    fn engagement_counts(&mut self, from_ms: i64, until_ms: i64) -> Result<Vec<EngagementCount>, StoreError> {
        let rows = self.query(
            "SELECT material_id, material_version, kind, verification = 'verified', occurred_at_ms / $3, count(*)
             FROM events WHERE occurred_at_ms >= $1 AND occurred_at_ms < $2
               AND kind IN ('nfc_tap', 'web_tap', 'web_open')
             GROUP BY 1, 2, 3, 4, 5",
            &[&from_ms, &until_ms, &QUARTER_HOUR_MS],
        )?;
        rows.iter()
            .map(|r| {
                let version: Option<i64> = r.try_get(1)?;
                Ok(EngagementCount {
                    material_id: r.try_get(0)?,
                    material_version: version.map(u32::try_from).transpose().map_err(|_| {
                        StoreError::Inconsistent("a stored material version is out of range".into())
                    })?,
                    kind: r.try_get(2)?,
                    verified: r.try_get(3)?,
                    quarter_hour: r.try_get(4)?,
                    events: to_u64(r.try_get(5)?)?,
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
