-- Ports a compute agent allocated for an instance (AllocatePort) go with the instance;
-- ports the user made and handed to a server are only unbound when it goes (Nova's
-- preserve_on_delete), even when the agent no longer knows which were whose.
ALTER TABLE ports ADD COLUMN compute_owned boolean NOT NULL DEFAULT false;
