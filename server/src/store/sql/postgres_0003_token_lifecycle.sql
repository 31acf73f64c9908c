-- The sync server's PostgreSQL schema, version 3: device tokens with a lifecycle (an id to name them by, an
-- optional expiry, revocation, when last seen) and the append-only log of admin actions.
ALTER TABLE tokens ADD COLUMN id TEXT;
ALTER TABLE tokens ADD COLUMN expires_at_ms BIGINT;
ALTER TABLE tokens ADD COLUMN revoked_at_ms BIGINT;
ALTER TABLE tokens ADD COLUMN last_seen_ms BIGINT;
UPDATE tokens SET id = substr(encode(hash, 'hex'), 1, 12);
CREATE UNIQUE INDEX tokens_id ON tokens (id);

CREATE TABLE admin_log (
    seq BIGSERIAL PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
