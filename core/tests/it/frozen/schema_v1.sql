-- 0001: master data, visits (projection + automerge chunks), engagement events, settings.
-- Times are integers in milliseconds since the Unix epoch (UTC); the visit keeps its local UTC offset beside it.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE products (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL
) STRICT;

CREATE TABLE reps (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL
) STRICT;

CREATE TABLE rep_products (
    rep_id     TEXT NOT NULL REFERENCES reps(id) ON DELETE CASCADE,
    product_id TEXT NOT NULL REFERENCES products(id),
    PRIMARY KEY (rep_id, product_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX rep_products_product ON rep_products(product_id);

CREATE TABLE institutions (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    address TEXT NOT NULL,
    lat     REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon     REAL NOT NULL CHECK (lon BETWEEN -180 AND 180)
) STRICT;

CREATE TABLE hcps (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    kana           TEXT NOT NULL,
    specialty      TEXT NOT NULL,
    institution_id TEXT NOT NULL REFERENCES institutions(id)
) STRICT;
CREATE INDEX hcps_institution ON hcps(institution_id);

CREATE TABLE materials (
    id            TEXT NOT NULL,
    version       INTEGER NOT NULL CHECK (version >= 1),
    title         TEXT NOT NULL,
    product_id    TEXT NOT NULL REFERENCES products(id),
    approval_code TEXT NOT NULL,
    valid_from    TEXT NOT NULL,
    valid_until   TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('approved', 'withdrawn')),
    sha256        TEXT NOT NULL,
    size          INTEGER NOT NULL CHECK (size >= 0),
    local_path    TEXT,
    PRIMARY KEY (id, version)
) STRICT;
CREATE INDEX materials_product ON materials(product_id);

-- The query projection of each visit document. Visits refer to master data by id without a foreign key: a draft
-- with an unknown or missing reference is still kept (the validator reports it), and sync may deliver a visit
-- before the master data it names.
CREATE TABLE visits (
    id                   BLOB PRIMARY KEY CHECK (length(id) = 16),
    rep_id               TEXT,
    hcp_id               TEXT,
    institution_id       TEXT,
    channel              TEXT,
    started_at           INTEGER,
    utc_offset_min       INTEGER,
    duration_min         INTEGER,
    reaction             TEXT,
    next_objective       TEXT,
    notes                TEXT NOT NULL DEFAULT '',
    status               TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'amended')),
    entered_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    first_submitted_at   INTEGER,
    chunk_count          INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX visits_started ON visits(started_at);
CREATE INDEX visits_hcp_started ON visits(hcp_id, started_at);
CREATE INDEX visits_rep_started ON visits(rep_id, started_at);
CREATE INDEX visits_institution ON visits(institution_id);

CREATE TABLE visit_products (
    visit_id   BLOB NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
    product_id TEXT NOT NULL,
    priority   INTEGER NOT NULL,
    PRIMARY KEY (visit_id, product_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX visit_products_product ON visit_products(product_id);

CREATE TABLE visit_materials (
    visit_id    BLOB NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
    material_id TEXT NOT NULL,
    version     INTEGER NOT NULL,
    PRIMARY KEY (visit_id, material_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX visit_materials_material ON visit_materials(material_id, version);

-- The automerge document of each visit: a full save followed by incremental chunks, compacted from time to time.
CREATE TABLE visit_chunks (
    visit_id BLOB NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,
    bytes    BLOB NOT NULL,
    PRIMARY KEY (visit_id, seq)
) STRICT, WITHOUT ROWID;

-- Engagement events (NFC taps, material opens): append-only, idempotent by id.
CREATE TABLE events (
    id               BLOB PRIMARY KEY CHECK (length(id) = 16),
    kind             TEXT NOT NULL,
    occurred_at      INTEGER NOT NULL,
    card_id          TEXT,
    material_id      TEXT,
    material_version INTEGER,
    verification     TEXT NOT NULL,
    visit_id         BLOB REFERENCES visits(id),
    synced           INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX events_visit ON events(visit_id);
CREATE INDEX events_material_time ON events(material_id, occurred_at);
CREATE INDEX events_unsynced ON events(synced) WHERE synced = 0;
