-- The sync server's PostgreSQL schema, version 2: material content files, addressed by their SHA-256 (ADR 0013).
CREATE TABLE content (
    sha256 BYTEA PRIMARY KEY CHECK (length(sha256) = 32),
    size BIGINT NOT NULL CHECK (size >= 0),
    bytes BYTEA NOT NULL,
    added_at_ms BIGINT NOT NULL
);
-- Stored out of line and uncompressed (PDFs and images barely compress), so substring() reads only the TOAST
-- chunks of the requested range instead of decompressing the whole file.
ALTER TABLE content ALTER COLUMN bytes SET STORAGE EXTERNAL;
