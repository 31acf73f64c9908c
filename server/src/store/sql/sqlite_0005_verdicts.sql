-- The sync server's SQLite schema, version 5: the audit's verdicts kept per visit and the queue of reps to audit
-- again (ADR 0022), so the head-office view reads stored results instead of replaying every visit.
CREATE TABLE verdicts (
    doc_id BLOB PRIMARY KEY NOT NULL,    -- the visit
    rep_id TEXT NOT NULL,                -- its owner
    started_at_ms INTEGER,               -- when it started, if it has a start
    score INTEGER NOT NULL,              -- 0-100 as of its entry, with hindsight
    codes TEXT NOT NULL,                 -- finding codes as ",code,code," (empty: ",")
    reasons TEXT NOT NULL,               -- JSON array of the score's reasons
    status TEXT NOT NULL,                -- draft | submitted | amended
    needs_review INTEGER NOT NULL,
    amendments INTEGER NOT NULL
) STRICT;
CREATE INDEX verdicts_started ON verdicts (started_at_ms);
CREATE INDEX verdicts_rep_started ON verdicts (rep_id, started_at_ms);

CREATE TABLE verdict_reps (
    rep_id TEXT PRIMARY KEY NOT NULL,
    shown INTEGER NOT NULL,              -- in-person visits showing materials
    missed INTEGER NOT NULL,             -- of them, without a tap
    shortfall_percent INTEGER            -- the usual share held against the rep when it fell short, else NULL
) STRICT;

CREATE TABLE verdict_queue (
    rep_id TEXT PRIMARY KEY NOT NULL,
    generation INTEGER NOT NULL,         -- raised each time the rep is queued again
    queued_at_ms INTEGER NOT NULL,       -- the oldest change waiting
    lease_until_ms INTEGER NOT NULL      -- a worker holds it until then (0: free)
) STRICT;

-- The head-office view counts taps and opens in a window of time.
CREATE INDEX events_time ON events (occurred_at_ms);

INSERT INTO counters (name, value) VALUES ('verdicts_master', 0), ('verdicts_rules', 0), ('verdicts_team', 0);
