-- gureum-image: image records and members. Tags and free properties are JSONB on the
-- image row (a JSON array of strings, a JSON object of strings): they are always read
-- and written with the image, and `tags @> '["x"]'` filters listings.
CREATE TABLE images (
  id               TEXT PRIMARY KEY,
  name             TEXT NOT NULL DEFAULT '',
  status           TEXT NOT NULL CHECK (status IN ('queued', 'saving', 'active', 'killed',
                                                   'deactivated', 'deleted')),
  disk_format      TEXT NOT NULL DEFAULT '',
  container_format TEXT NOT NULL DEFAULT '',
  size             BIGINT CHECK (size >= 0),
  virtual_size     BIGINT CHECK (virtual_size >= 0),
  checksum         TEXT NOT NULL DEFAULT '',
  os_hash_algo     TEXT NOT NULL DEFAULT '',
  os_hash_value    TEXT NOT NULL DEFAULT '',
  min_disk         INTEGER NOT NULL DEFAULT 0 CHECK (min_disk >= 0),
  min_ram          INTEGER NOT NULL DEFAULT 0 CHECK (min_ram >= 0),
  visibility       TEXT NOT NULL CHECK (visibility IN ('public', 'private', 'shared',
                                                       'community')),
  protected        BOOLEAN NOT NULL DEFAULT FALSE,
  os_hidden        BOOLEAN NOT NULL DEFAULT FALSE,
  owner            TEXT NOT NULL,
  tags             JSONB NOT NULL DEFAULT '[]',
  properties       JSONB NOT NULL DEFAULT '{}',
  location         TEXT NOT NULL DEFAULT '',
  created_at       TIMESTAMPTZ NOT NULL,
  updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX images_owner ON images (owner);
CREATE INDEX images_visibility ON images (visibility);
CREATE INDEX images_listing ON images (created_at DESC, id DESC);

CREATE TABLE image_members (
  image_id   TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,
  member_id  TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (image_id, member_id)
);
CREATE INDEX image_members_member ON image_members (member_id);
