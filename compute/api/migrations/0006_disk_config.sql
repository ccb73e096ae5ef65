-- A server's disk config (Nova's OS-DCF:diskConfig, its auto_disk_config): AUTO (true) or
-- MANUAL (false), given at create (else the image's auto_disk_config property), rebuild,
-- resize or update and shown as kept.
ALTER TABLE instances ADD COLUMN auto_disk_config boolean NOT NULL DEFAULT false;
