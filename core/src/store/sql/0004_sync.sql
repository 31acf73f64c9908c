-- 0004: sync state. Each visit's current automerge heads (sorted 32-byte hashes, concatenated) beside the heads
-- the server had when both sides last agreed; a visit whose two differ has local changes to push.

ALTER TABLE visits ADD COLUMN heads BLOB NOT NULL DEFAULT x'';

CREATE TABLE visit_sync (
    visit_id     BLOB PRIMARY KEY REFERENCES visits(id) ON DELETE CASCADE,
    server_heads BLOB NOT NULL
) STRICT, WITHOUT ROWID;

-- A late edit merged after submission waits for review (see core/src/visit/review.rs).
ALTER TABLE visits ADD COLUMN needs_review INTEGER NOT NULL DEFAULT 0;
CREATE INDEX visits_needs_review ON visits(needs_review) WHERE needs_review = 1;
