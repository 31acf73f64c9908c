-- 0003: NFC cards — public keys of signed cards, the SUN card registry and keys, replay counters, the SUN
-- parameters of each SUN tap (verified at sync when the device has no key), and an index for tap look-ups.

-- Ed25519 public keys that sign NTAG21x card claims (from the catalog).
CREATE TABLE card_keys (
    key_id     INTEGER PRIMARY KEY CHECK (key_id BETWEEN 0 AND 255),
    public_key BLOB NOT NULL CHECK (length(public_key) = 32)
) STRICT;

-- Cards known by id: every SUN card (its URL names only the card), and signed cards recorded when issued here.
CREATE TABLE cards (
    card_id          TEXT PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('signed', 'sun')),
    material_id      TEXT NOT NULL,
    material_version INTEGER NOT NULL CHECK (material_version >= 1),
    key_id           INTEGER NOT NULL,
    issued_on        TEXT NOT NULL,
    expires_on       TEXT NOT NULL,
    uid              TEXT
) STRICT;

-- SUN keys exist only where SUN cards are verified (the server, an issuing station), never on a rep's device.
CREATE TABLE sun_keys (
    key_id           INTEGER PRIMARY KEY,
    meta_read_key    BLOB NOT NULL CHECK (length(meta_read_key) = 16),
    file_read_master BLOB NOT NULL CHECK (length(file_read_master) = 16)
) STRICT;

-- The highest verified SUN read counter of each card: a tap at or below it is a replay.
CREATE TABLE card_counters (
    card_id      TEXT PRIMARY KEY,
    last_counter INTEGER NOT NULL
) STRICT;

CREATE TABLE sun_taps (
    event_id  BLOB PRIMARY KEY REFERENCES events(id),
    card_id   TEXT NOT NULL,
    picc      BLOB NOT NULL,
    enc       BLOB,
    cmac      BLOB NOT NULL,
    mac_input TEXT NOT NULL
) STRICT;
CREATE INDEX sun_taps_card_picc ON sun_taps(card_id, picc);

CREATE INDEX events_tap_time ON events(occurred_at) WHERE kind = 'nfc_tap';
