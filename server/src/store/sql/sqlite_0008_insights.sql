-- The sync server's SQLite schema, version 8: doctor insights as head office reads them (ADR 0026). One row per
-- insight of a stored visit, replaced with the rep's verdicts, so the insights page counts rows instead of
-- loading documents.
CREATE TABLE insight_facts (
    doc_id BLOB NOT NULL,                -- the visit
    rep_id TEXT NOT NULL,
    hcp_id TEXT,
    started_at_ms INTEGER,
    day TEXT,                            -- the visit's local date in its rep's zone (YYYY-MM-DD)
    kind TEXT NOT NULL,                  -- need | stage | question | safety | shown
    product_id TEXT,
    code TEXT NOT NULL,                  -- need: topic; stage: stage; question: status; safety: ''; shown: material
    rank INTEGER,                        -- stage: its rank on the ladder; shown: the material version
    item_id TEXT,                        -- question, safety: the entry's id
    topic TEXT,                          -- question: its topic
    text TEXT,                           -- question, safety: what was said
    flag INTEGER NOT NULL,               -- question: off-label; safety: not forwarded yet; else 0
    -- stage: the stage before it and the next one's start, for the same doctor and product among the rep's
    -- visits (NULL: none), so moves and each doctor's latest stage are counted without window functions
    previous_code TEXT,
    previous_rank INTEGER,
    previous_doc BLOB,
    next_started_at_ms INTEGER
) STRICT;
CREATE INDEX insight_facts_rep ON insight_facts (rep_id);
CREATE INDEX insight_facts_kind_started ON insight_facts (kind, started_at_ms);
CREATE INDEX insight_facts_latest ON insight_facts (kind, next_started_at_ms);
CREATE INDEX insight_facts_doc ON insight_facts (doc_id);
CREATE INDEX insight_facts_awaiting ON insight_facts (kind, flag) WHERE flag = 1;
