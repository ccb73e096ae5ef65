-- Soft delete (Nova's reclaim_instance_interval): when a server was soft deleted (its
-- vm_state soft-delete); the periodic reclaim deletes it for good once the interval has
-- passed. NULL for a server that is not soft deleted.
ALTER TABLE instances ADD COLUMN deleted_at timestamptz;
