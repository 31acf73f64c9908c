-- 0008: doctor insights. The visit's insights as canonical JSON (the visit document is the truth; '{}' = none),
-- the catalog they are coded against: the adoption ladder and the topic taxonomy, from master data (empty tables:
-- the catalog this build carries, see core/src/master/catalog.rs), and the topics each material answers.

ALTER TABLE visits ADD COLUMN insights TEXT NOT NULL DEFAULT '{}';

CREATE TABLE adoption_stages (
    code    TEXT PRIMARY KEY,
    rank    INTEGER NOT NULL,
    name_ja TEXT NOT NULL,
    name_en TEXT NOT NULL
) STRICT;

CREATE TABLE topics (
    code    TEXT PRIMARY KEY,
    name_ja TEXT NOT NULL,
    name_en TEXT NOT NULL
) STRICT;

-- The topics each material version answers (replaced with the version on every import; materials are never
-- deleted, so no foreign key).
CREATE TABLE material_topics (
    material_id TEXT NOT NULL,
    version     INTEGER NOT NULL,
    topic       TEXT NOT NULL,
    PRIMARY KEY (material_id, version, topic)
) STRICT;
