-- 0005: the newest server time this device knew when it entered the visit (ms; NULL when it knew none, or when the
-- visit was entered on another device and arrived by sync). The stored judgement "as of entry" checks the device
-- clock against this time, not against a server time learned later (see core/src/visit/projection.rs).

ALTER TABLE visits ADD COLUMN entry_server_time INTEGER;
