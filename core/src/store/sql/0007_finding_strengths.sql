-- 0007: how clearly each finding of the entry-time judgement passed its rule (a JSON object, code → 0–1), so the
-- audit weighs an order-dependent finding (a copied note) as it was judged at entry. '{}': every finding ungraded.

ALTER TABLE visits ADD COLUMN finding_strengths TEXT NOT NULL DEFAULT '{}';
