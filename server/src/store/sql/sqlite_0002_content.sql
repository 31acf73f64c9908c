-- The sync server's SQLite schema, version 2: material content files, addressed by their SHA-256 (ADR 0013).
CREATE TABLE content (
    sha256 BLOB PRIMARY KEY CHECK (length(sha256) = 32),
    size INTEGER NOT NULL CHECK (size >= 0),
    bytes BLOB NOT NULL,
    added_at_ms INTEGER NOT NULL
);
