-- Volumes of gureum-block-storage attached to instances (Nova's block_device_mapping for
-- volumes): the attachment of block storage that holds the volume for the instance, the
-- device the agent plugged it at, and where the attach or detach stands. One row per
-- (instance, volume); the row goes when the detach finished.
CREATE TABLE volume_attachments (
  instance_uuid  text NOT NULL REFERENCES instances(uuid) ON DELETE CASCADE,
  volume_id      text NOT NULL,
  attachment_id  text NOT NULL UNIQUE,
  device         text NOT NULL DEFAULT '',
  status         text NOT NULL CHECK (status IN ('attaching', 'attached', 'detaching')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (instance_uuid, volume_id)
);
CREATE INDEX volume_attachments_volume ON volume_attachments (volume_id);
