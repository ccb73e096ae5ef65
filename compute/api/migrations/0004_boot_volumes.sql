-- Boot from volume (Nova's block_device_mapping_v2): a volume given at create may be the
-- instance's root disk (boot_index 0), deleted with the instance (delete_on_termination),
-- and made for it from an image (source_type image). Such a volume has no attachment until
-- the compute agent reserves it once block storage made it: attachment_id is then NULL.
ALTER TABLE volume_attachments ALTER COLUMN attachment_id DROP NOT NULL;
ALTER TABLE volume_attachments ADD COLUMN boot_index integer NOT NULL DEFAULT -1;
ALTER TABLE volume_attachments ADD COLUMN delete_on_termination boolean NOT NULL DEFAULT false;
ALTER TABLE volume_attachments ADD COLUMN source_type text NOT NULL DEFAULT 'volume'
  CHECK (source_type IN ('volume', 'image', 'blank'));
