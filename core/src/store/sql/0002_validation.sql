-- 0002: what validation needs on each visit's projection: the reliability score and finding codes (head-office
-- filters), the amendment count, and a MinHash signature of the notes for the near-duplicate check.

ALTER TABLE visits ADD COLUMN score INTEGER CHECK (score BETWEEN 0 AND 100);
ALTER TABLE visits ADD COLUMN finding_codes TEXT NOT NULL DEFAULT '[]';
ALTER TABLE visits ADD COLUMN amendment_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE visits ADD COLUMN notes_sig BLOB;
CREATE INDEX visits_score ON visits(score);
