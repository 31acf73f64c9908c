-- The server's identity and the chain of its history (ADR 0023). A restore from an older copy, or another database,
-- is told apart from the server a device last saw by these two: a device sends the identity and the chain hash at
-- the position it last saw, and a history that no longer holds that hash makes it reconcile.
CREATE TABLE server_identity (
    only_row INTEGER PRIMARY KEY NOT NULL CHECK (only_row = 1),
    id BLOB NOT NULL                     -- 16 random bytes, created with the database
) STRICT;
INSERT INTO server_identity (only_row, id) VALUES (1, randomblob(16));

-- One row per write transaction: the chain hash after its last sequence number. The first row is random, so two
-- databases never share a chain even when the same changes are written into both.
CREATE TABLE feed_chain (
    seq INTEGER PRIMARY KEY NOT NULL,
    chain BLOB NOT NULL                  -- SHA-256 over the previous row's chain and this transaction's writes
) STRICT;
INSERT INTO feed_chain (seq, chain) SELECT value, randomblob(32) FROM counters WHERE name = 'seq';
