-- The server's identity and the chain of its history (ADR 0023). A restore from an older copy (pg_restore keeps
-- the identity it stored), or another database, is told apart from the server a device last saw by these two: a
-- device sends the identity and the chain hash at the position it last saw, and a history that no longer holds that
-- hash makes it reconcile.
CREATE TABLE server_identity (
    only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
    id BYTEA NOT NULL                    -- 16 random bytes, created with the database
);
INSERT INTO server_identity (only_row, id) VALUES (1, uuid_send(gen_random_uuid()));

-- One row per write transaction: the chain hash after its last sequence number. The first row is random, so two
-- databases never share a chain even when the same changes are written into both.
CREATE TABLE feed_chain (
    seq BIGINT PRIMARY KEY,
    chain BYTEA NOT NULL                 -- SHA-256 over the previous row's chain and this transaction's writes
);
INSERT INTO feed_chain (seq, chain)
SELECT value, uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()) FROM counters WHERE name = 'seq';
