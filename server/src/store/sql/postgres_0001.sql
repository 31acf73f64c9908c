-- The sync server's PostgreSQL schema, version 1 (same tables as the SQLite one).
CREATE TABLE tokens (
    hash BYTEA PRIMARY KEY,
    role TEXT NOT NULL,
    reps TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);

CREATE TABLE docs (
    id BYTEA PRIMARY KEY,
    owner TEXT NOT NULL,
    seq BIGINT NOT NULL,
    heads BYTEA NOT NULL,
    chunk_count INTEGER NOT NULL
);
CREATE INDEX docs_owner_seq ON docs (owner, seq);

CREATE TABLE doc_chunks (
    doc_id BYTEA NOT NULL REFERENCES docs (id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    bytes BYTEA NOT NULL,
    PRIMARY KEY (doc_id, n)
);

CREATE TABLE events (
    id BYTEA PRIMARY KEY,
    rep_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    occurred_at_ms BIGINT NOT NULL,
    card_id TEXT,
    material_id TEXT,
    material_version BIGINT,
    verification TEXT NOT NULL,
    visit_id BYTEA,
    received_at_ms BIGINT NOT NULL
);
CREATE INDEX events_rep_time ON events (rep_id, occurred_at_ms);

CREATE TABLE json_docs (
    name TEXT PRIMARY KEY,
    version BIGINT NOT NULL,
    json TEXT NOT NULL
);

CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('seq', 0);
