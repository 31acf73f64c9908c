-- The sync server's PostgreSQL schema, version 4: token rotation. A device exchanges its token for a new one; the
-- old one is retired (replaced_at_ms) when the new one is first used, so a lost answer locks nobody out.
ALTER TABLE tokens ADD COLUMN rotated_from TEXT;
ALTER TABLE tokens ADD COLUMN replaced_at_ms BIGINT;
CREATE INDEX tokens_rotated_from ON tokens (rotated_from) WHERE rotated_from IS NOT NULL;
