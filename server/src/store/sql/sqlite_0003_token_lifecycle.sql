-- The sync server's SQLite schema, version 3: device tokens with a lifecycle (an id to name them by, an optional
-- expiry, revocation, when last seen) and the append-only log of admin actions.
ALTER TABLE tokens ADD COLUMN id TEXT;                -- public id: the first 12 hex digits of the hash
ALTER TABLE tokens ADD COLUMN expires_at_ms INTEGER;  -- NULL: never expires
ALTER TABLE tokens ADD COLUMN revoked_at_ms INTEGER;  -- NULL: not revoked
ALTER TABLE tokens ADD COLUMN last_seen_ms INTEGER;   -- NULL: never used
UPDATE tokens SET id = lower(substr(hex(hash), 1, 12));
CREATE UNIQUE INDEX tokens_id ON tokens (id);

CREATE TABLE admin_log (
    seq INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,                              -- who (the operator's account, or the process)
    action TEXT NOT NULL,                             -- mint_token | revoke_token | import_master | import_rules | add_content | prune_content
    detail TEXT NOT NULL                              -- ids and versions only, never a token or personal data
) STRICT;
