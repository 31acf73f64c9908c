-- The sync server's PostgreSQL schema, version 5: the audit's verdicts kept per visit and the queue of reps to
-- audit again (ADR 0022), so the head-office view reads stored results instead of replaying every visit.
CREATE TABLE verdicts (
    doc_id BYTEA PRIMARY KEY,
    rep_id TEXT NOT NULL,
    started_at_ms BIGINT,
    score SMALLINT NOT NULL,
    codes TEXT NOT NULL,
    reasons TEXT NOT NULL,
    status TEXT NOT NULL,
    needs_review BOOLEAN NOT NULL,
    amendments INTEGER NOT NULL
);
CREATE INDEX verdicts_started ON verdicts (started_at_ms);
CREATE INDEX verdicts_rep_started ON verdicts (rep_id, started_at_ms);

CREATE TABLE verdict_reps (
    rep_id TEXT PRIMARY KEY,
    shown INTEGER NOT NULL,
    missed INTEGER NOT NULL,
    shortfall_percent INTEGER
);

CREATE TABLE verdict_queue (
    rep_id TEXT PRIMARY KEY,
    generation BIGINT NOT NULL,
    queued_at_ms BIGINT NOT NULL,
    lease_until_ms BIGINT NOT NULL
);
CREATE INDEX verdict_queue_waiting ON verdict_queue (lease_until_ms, queued_at_ms);

-- The head-office view counts taps and opens in a window of time.
CREATE INDEX events_time ON events (occurred_at_ms);

INSERT INTO counters (name, value) VALUES ('verdicts_master', 0), ('verdicts_rules', 0), ('verdicts_team', 0);
