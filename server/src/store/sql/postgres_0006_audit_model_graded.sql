-- The audit's model changed (graded evidence, issue #15): the stored verdicts were computed with the previous one.
-- A basis that no rule settings version equals makes the verdict worker queue every rep once and judge them again.
UPDATE counters SET value = 9223372036854775807 WHERE name = 'verdicts_rules';
