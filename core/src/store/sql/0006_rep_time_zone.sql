-- 0006: the IANA zone a rep works in, when not the rule settings' `time_zone` (NULL: the settings' zone). Days and
-- hours of the rep's visits are judged in it (see core/src/local_time.rs).

ALTER TABLE reps ADD COLUMN time_zone TEXT;
