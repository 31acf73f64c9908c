-- The sync server's SQLite schema, version 1.
CREATE TABLE tokens (
    hash BLOB PRIMARY KEY NOT NULL,      -- SHA-256 of the token; the token itself is never stored
    role TEXT NOT NULL,                  -- 'rep' | 'manager'
    reps TEXT NOT NULL,                  -- JSON array of rep ids in scope
    created_at_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE docs (
    id BLOB PRIMARY KEY NOT NULL,        -- 16-byte visit id
    owner TEXT NOT NULL,                 -- rep id
    seq INTEGER NOT NULL,                -- server-wide sequence number of the last change
    heads BLOB NOT NULL,                 -- sorted 32-byte head hashes, concatenated
    chunk_count INTEGER NOT NULL
) STRICT;
CREATE INDEX docs_owner_seq ON docs (owner, seq);

CREATE TABLE doc_chunks (
    doc_id BLOB NOT NULL REFERENCES docs (id) ON DELETE CASCADE,
    n INTEGER NOT NULL,                  -- 0 = snapshot, then incremental chunks
    bytes BLOB NOT NULL,
    PRIMARY KEY (doc_id, n)
) STRICT;

CREATE TABLE events (
    id BLOB PRIMARY KEY NOT NULL,        -- UUIDv7 of the event
    rep_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    occurred_at_ms INTEGER NOT NULL,
    card_id TEXT,
    material_id TEXT,
    material_version INTEGER,
    verification TEXT NOT NULL,
    visit_id BLOB,
    received_at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX events_rep_time ON events (rep_id, occurred_at_ms);

CREATE TABLE json_docs (
    name TEXT PRIMARY KEY NOT NULL,      -- 'master' | 'rules'
    version INTEGER NOT NULL,
    json TEXT NOT NULL
) STRICT;

CREATE TABLE counters (
    name TEXT PRIMARY KEY NOT NULL,
    value INTEGER NOT NULL
) STRICT;
INSERT INTO counters (name, value) VALUES ('seq', 0);
