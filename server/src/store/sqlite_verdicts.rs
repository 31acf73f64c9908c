//! [`VerdictTx`] over one SQLite transaction.

use mrc_core::sync::wire::DocId;
use rusqlite::{params, OptionalExtension};

use super::{
    doc_id,
    sqlite_tx::{read_events, SqliteTx},
    to_i64, to_u64,
    verdicts::{
        code_pattern, codes_from_column, codes_to_column, Claim, CodeVisits, EngagementCount, RepTally,
        ScoreCount, VerdictFilter, VerdictTx, VisitVerdict, QUARTER_HOUR_MS,
    },
    StoreError, StoredEvent,
};

fn u32_of(n: i64, what: &str) -> Result<u32, StoreError> {
    u32::try_from(n).map_err(|_| StoreError::Inconsistent(format!("a stored {what} is out of range")))
}

/// Reads one row of `doc_id, rep_id, started_at_ms, score, codes, reasons, status, needs_review, amendments`.
fn verdict_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Vec<u8>, VisitVerdict)> {
    Ok((
        r.get::<_, Vec<u8>>(0)?,
        VisitVerdict {
            doc_id: DocId::default(),
            rep_id: r.get(1)?,
            started_at_ms: r.get(2)?,
            score: r.get(3)?,
            codes: codes_from_column(&r.get::<_, String>(4)?),
            reasons: r.get(5)?,
            status: r.get(6)?,
            needs_review: r.get(7)?,
            amendments: r.get(8)?,
        },
    ))
}

fn finish_rows(
    rows: impl Iterator<Item = rusqlite::Result<(Vec<u8>, VisitVerdict)>>,
) -> Result<Vec<VisitVerdict>, StoreError> {
    rows.map(|row| {
        let (id, mut verdict) = row?;
        verdict.doc_id = doc_id(&id)?;
        Ok(verdict)
    })
    .collect()
}

impl VerdictTx for SqliteTx<'_> {
    fn queue_reps(&mut self, reps: &[String], now_ms: i64) -> Result<(), StoreError> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO verdict_queue (rep_id, generation, queued_at_ms, lease_until_ms) VALUES (?1, 1, ?2, 0)
             ON CONFLICT (rep_id) DO UPDATE SET generation = generation + 1",
        )?;
        for rep in reps {
            stmt.execute(params![rep, now_ms])?;
        }
        Ok(())
    }

    fn claim_rep(&mut self, now_ms: i64, lease_until_ms: i64) -> Result<Option<Claim>, StoreError> {
        let claim = self
            .tx
            .prepare_cached(
                "UPDATE verdict_queue SET lease_until_ms = ?2
                 WHERE rep_id = (SELECT rep_id FROM verdict_queue WHERE lease_until_ms <= ?1
                                 ORDER BY queued_at_ms, rep_id LIMIT 1)
                 RETURNING rep_id, generation",
            )?
            .query_row(params![now_ms, lease_until_ms], |r| {
                Ok(Claim {
                    rep_id: r.get(0)?,
                    generation: r.get(1)?,
                })
            })
            .optional()?;
        Ok(claim)
    }

    fn release_rep(&mut self, claim: &Claim) -> Result<bool, StoreError> {
        let removed = self
            .tx
            .prepare_cached("DELETE FROM verdict_queue WHERE rep_id = ?1 AND generation = ?2")?
            .execute(params![claim.rep_id, claim.generation])?;
        if removed == 0 {
            self.tx
                .prepare_cached("UPDATE verdict_queue SET lease_until_ms = 0 WHERE rep_id = ?1")?
                .execute([&claim.rep_id])?;
        }
        Ok(removed == 1)
    }

    fn queue_state(&mut self) -> Result<(u64, Option<i64>), StoreError> {
        let (n, oldest): (i64, Option<i64>) =
            self.tx
                .query_row("SELECT count(*), min(queued_at_ms) FROM verdict_queue", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
        Ok((to_u64(n)?, oldest))
    }

    fn put_verdicts(
        &mut self,
        rep_id: &str,
        tally: &RepTally,
        verdicts: &[VisitVerdict],
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("DELETE FROM verdicts WHERE rep_id = ?1")?
            .execute([rep_id])?;
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO verdicts (doc_id, rep_id, started_at_ms, score, codes, reasons, status,
                                   needs_review, amendments)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for v in verdicts {
            insert.execute(params![
                v.doc_id.as_slice(),
                v.rep_id,
                v.started_at_ms,
                v.score,
                codes_to_column(&v.codes),
                v.reasons,
                v.status,
                v.needs_review,
                v.amendments,
            ])?;
        }
        self.tx
            .prepare_cached(
                "INSERT INTO verdict_reps (rep_id, shown, missed, shortfall_percent) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (rep_id) DO UPDATE SET shown = ?2, missed = ?3, shortfall_percent = ?4",
            )?
            .execute(params![
                rep_id,
                tally.shown,
                tally.missed,
                tally.shortfall_percent
            ])?;
        Ok(())
    }

    fn rep_tallies(&mut self) -> Result<Vec<(String, RepTally)>, StoreError> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT rep_id, shown, missed, shortfall_percent FROM verdict_reps ORDER BY rep_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get(3)?,
            ))
        })?;
        rows.map(|row| {
            let (rep, shown, missed, shortfall_percent) = row?;
            let tally = RepTally {
                shown: u32_of(shown, "tap count")?,
                missed: u32_of(missed, "tap count")?,
                shortfall_percent,
            };
            Ok((rep, tally))
        })
        .collect()
    }

    fn lock_team(&mut self) -> Result<(), StoreError> {
        // A SQLite writer already holds the database's only write lock.
        self.tx
            .prepare_cached("UPDATE counters SET value = value + 1 WHERE name = 'verdicts_team'")?
            .execute([])?;
        Ok(())
    }

    fn basis_versions(&mut self) -> Result<(u64, u64), StoreError> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT version FROM json_docs WHERE name = ?1")?;
        let master: Option<i64> = stmt.query_row(["master"], |r| r.get(0)).optional()?;
        let rules: Option<i64> = stmt.query_row(["rules"], |r| r.get(0)).optional()?;
        Ok((to_u64(master.unwrap_or(0))?, to_u64(rules.unwrap_or(0))?))
    }

    fn verdict_basis(&mut self) -> Result<(u64, u64), StoreError> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT value FROM counters WHERE name = ?1")?;
        let master: i64 = stmt.query_row(["verdicts_master"], |r| r.get(0))?;
        let rules: i64 = stmt.query_row(["verdicts_rules"], |r| r.get(0))?;
        Ok((to_u64(master)?, to_u64(rules)?))
    }

    fn set_verdict_basis(&mut self, master: u64, rules: u64) -> Result<(), StoreError> {
        let mut stmt = self
            .tx
            .prepare_cached("UPDATE counters SET value = ?2 WHERE name = ?1")?;
        stmt.execute(params!["verdicts_master", to_i64(master)?])?;
        stmt.execute(params!["verdicts_rules", to_i64(rules)?])?;
        Ok(())
    }

    fn verdicts(
        &mut self,
        filter: &VerdictFilter,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<VisitVerdict>, StoreError> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT doc_id, rep_id, started_at_ms, score, codes, reasons, status, needs_review, amendments
             FROM verdicts
             WHERE (?1 IS NULL OR started_at_ms >= ?1) AND (?2 IS NULL OR started_at_ms < ?2) AND (?3 IS NULL OR rep_id = ?3)
               AND (?4 IS NULL OR codes LIKE ?4 ESCAPE '\\')
             ORDER BY started_at_ms IS NULL, started_at_ms DESC, doc_id LIMIT ?5 OFFSET ?6",
        )?;
        let rows = stmt.query_map(
            params![
                filter.from_ms,
                filter.until_ms,
                filter.rep_id,
                filter.code.as_deref().map(code_pattern),
                to_i64(limit)?,
                to_i64(offset)?,
            ],
            verdict_row,
        )?;
        finish_rows(rows)
    }

    fn verdict(&mut self, doc_id: &DocId) -> Result<Option<VisitVerdict>, StoreError> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT doc_id, rep_id, started_at_ms, score, codes, reasons, status, needs_review, amendments
             FROM verdicts WHERE doc_id = ?1",
        )?;
        let rows = stmt.query_map([doc_id.as_slice()], verdict_row)?;
        Ok(finish_rows(rows)?.pop())
    }

    fn score_counts(&mut self, from_ms: i64, until_ms: i64) -> Result<Vec<ScoreCount>, StoreError> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT rep_id, score, count(*), sum(needs_review), sum(amendments > 0) FROM verdicts
             WHERE started_at_ms >= ?1 AND started_at_ms < ?2 GROUP BY rep_id, score",
        )?;
        let rows = stmt.query_map([from_ms, until_ms], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, u8>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        rows.map(|row| {
            let (rep_id, score, visits, needs_review, amended) = row?;
            Ok(ScoreCount {
                rep_id,
                score,
                visits: to_u64(visits)?,
                needs_review: to_u64(needs_review)?,
                amended: to_u64(amended)?,
            })
        })
        .collect()
    }

    fn code_counts(&mut self, from_ms: i64, until_ms: i64) -> Result<Vec<CodeVisits>, StoreError> {
        // `,a,b,` read as the JSON array ["a","b"] (codes are letters and underscores).
        let mut stmt = self.tx.prepare_cached(
            "SELECT v.rep_id, c.value, count(*)
             FROM verdicts v,
                  json_each('[\"' || replace(substr(v.codes, 2, length(v.codes) - 2), ',', '\",\"') || '\"]') c
             WHERE v.started_at_ms >= ?1 AND v.started_at_ms < ?2 AND v.codes != ','
             GROUP BY v.rep_id, c.value",
        )?;
        let rows = stmt.query_map([from_ms, until_ms], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        rows.map(|row| {
            let (rep_id, code, visits) = row?;
            Ok(CodeVisits {
                rep_id,
                code,
                visits: to_u64(visits)?,
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
        let total: i64 = self
            .tx
            .prepare_cached(
                "SELECT count(*) FROM verdicts WHERE started_at_ms >= ?1 AND started_at_ms < ?2
               AND (score < ?3 OR needs_review OR amendments > 0)",
            )?
            .query_row(params![from_ms, until_ms, threshold], |r| r.get(0))?;
        let mut stmt = self.tx.prepare_cached(
            "SELECT doc_id, rep_id, started_at_ms, score, codes, reasons, status, needs_review, amendments
             FROM verdicts WHERE started_at_ms >= ?1 AND started_at_ms < ?2
               AND (score < ?3 OR needs_review OR amendments > 0)
             ORDER BY score, doc_id LIMIT ?4 OFFSET ?5",
        )?;
        let rows = stmt.query_map(
            params![from_ms, until_ms, threshold, to_i64(limit)?, to_i64(offset)?],
            verdict_row,
        )?;
        Ok((to_u64(total)?, finish_rows(rows)?))
    }

    fn verdicts_after(
        &mut self,
        from_ms: i64,
        until_ms: i64,
        after: Option<(i64, DocId)>,
        limit: u64,
    ) -> Result<Vec<VisitVerdict>, StoreError> {
        let (start, id) = after.unwrap_or((i64::MIN, [0; 16]));
        let mut stmt = self.tx.prepare_cached(
            "SELECT doc_id, rep_id, started_at_ms, score, codes, reasons, status, needs_review, amendments
             FROM verdicts WHERE started_at_ms >= ?1 AND started_at_ms < ?2
               AND (started_at_ms > ?3 OR (started_at_ms = ?3 AND doc_id > ?4))
             ORDER BY started_at_ms, doc_id LIMIT ?5",
        )?;
        let rows = stmt.query_map(
            params![from_ms, until_ms, start, id.as_slice(), to_i64(limit)?],
            verdict_row,
        )?;
        finish_rows(rows)
    }

    fn engagement_counts(&mut self, from_ms: i64, until_ms: i64) -> Result<Vec<EngagementCount>, StoreError> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT material_id, material_version, kind, verification = 'verified', occurred_at_ms / ?3, count(*)
             FROM events WHERE occurred_at_ms >= ?1 AND occurred_at_ms < ?2
               AND kind IN ('nfc_tap', 'web_tap', 'web_open')
             GROUP BY 1, 2, 3, 4, 5",
        )?;
        let rows = stmt.query_map([from_ms, until_ms, QUARTER_HOUR_MS], |r| {
            Ok(EngagementCount {
                material_id: r.get(0)?,
                material_version: r.get(1)?,
                kind: r.get(2)?,
                verified: r.get(3)?,
                quarter_hour: r.get(4)?,
                events: r.get::<_, i64>(5)?.max(0) as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn events_of_rep(&mut self, rep_id: &str) -> Result<Vec<StoredEvent>, StoreError> {
        read_events(
            self.tx,
            "SELECT rep_id, id, kind, occurred_at_ms, card_id, material_id, material_version, verification,
                    visit_id
             FROM events WHERE rep_id = ?1 ORDER BY occurred_at_ms, id",
            [rep_id],
        )
    }
}
