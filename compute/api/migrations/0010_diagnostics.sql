-- Server diagnostics (GET servers/{id}/diagnostics): the domain's statistics the host's
-- agent last pushed (libvirt's, named as Nova's libvirt driver names them) and when.
ALTER TABLE instances ADD COLUMN diagnostics jsonb;
ALTER TABLE instances ADD COLUMN diagnostics_at timestamptz;
