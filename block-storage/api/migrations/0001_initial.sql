-- gureum-block-storage: volumes, snapshots, attachments, volume types and their access,
-- the backends the volume agents report, and per-project quota limits.
-- Metadata, image metadata and extra specs are JSONB objects of strings on their row: they
-- are always read and written with it, and `metadata @> '{"k":"v"}'` filters listings.
-- Ids, names and statuses compare byte by byte (COLLATE "C") so that listings sort and page
-- the same way whatever the database's locale, and the same way as the in-memory fake.
CREATE TABLE volumes (
  id                TEXT COLLATE "C" PRIMARY KEY,
  project_id        TEXT NOT NULL,
  user_id           TEXT NOT NULL DEFAULT '',
  name              TEXT COLLATE "C" NOT NULL DEFAULT '',
  description       TEXT NOT NULL DEFAULT '',
  status            TEXT COLLATE "C" NOT NULL CHECK (status IN (
                      'creating', 'available', 'reserved', 'attaching', 'detaching', 'in-use',
                      'maintenance', 'deleting', 'awaiting-transfer', 'error', 'error_deleting',
                      'backing-up', 'restoring-backup', 'error_backing-up', 'error_restoring',
                      'error_extending', 'downloading', 'uploading', 'retyping', 'extending',
                      'managing', 'error_managing')),
  previous_status   TEXT NOT NULL DEFAULT '',
  size_gb           BIGINT NOT NULL CHECK (size_gb >= 1),
  volume_type_id    TEXT NOT NULL DEFAULT '',
  availability_zone TEXT NOT NULL DEFAULT '',
  backend_key       TEXT NOT NULL DEFAULT '',
  source_volume_id  TEXT NOT NULL DEFAULT '',
  snapshot_id       TEXT NOT NULL DEFAULT '',
  image_id          TEXT NOT NULL DEFAULT '',
  bootable          BOOLEAN NOT NULL DEFAULT FALSE,
  multiattach       BOOLEAN NOT NULL DEFAULT FALSE,
  read_only         BOOLEAN NOT NULL DEFAULT FALSE,
  metadata          JSONB NOT NULL DEFAULT '{}',
  image_metadata    JSONB NOT NULL DEFAULT '{}',
  error             TEXT NOT NULL DEFAULT '',
  task_id           TEXT NOT NULL DEFAULT '',
  created_at        TIMESTAMPTZ NOT NULL,
  updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX volumes_listing ON volumes (project_id, created_at DESC, id DESC);
CREATE INDEX volumes_stale ON volumes (status, updated_at);
CREATE INDEX volumes_backend ON volumes (backend_key);
CREATE INDEX volumes_type ON volumes (volume_type_id);

-- A snapshot keeps its row when its volume goes (no foreign key), and with it the volume's
-- type and backend at the time it was taken: per-type quota usage and a backend's allocated
-- size count it there.
CREATE TABLE snapshots (
  id             TEXT COLLATE "C" PRIMARY KEY,
  project_id     TEXT NOT NULL,
  user_id        TEXT NOT NULL DEFAULT '',
  volume_id      TEXT NOT NULL,
  volume_type_id TEXT NOT NULL DEFAULT '',
  backend_key    TEXT NOT NULL DEFAULT '',
  name           TEXT COLLATE "C" NOT NULL DEFAULT '',
  description    TEXT NOT NULL DEFAULT '',
  status         TEXT COLLATE "C" NOT NULL CHECK (status IN (
                   'creating', 'available', 'deleting', 'error', 'error_deleting',
                   'backing-up', 'restoring', 'unmanaging')),
  size_gb        BIGINT NOT NULL CHECK (size_gb >= 0),
  metadata       JSONB NOT NULL DEFAULT '{}',
  error          TEXT NOT NULL DEFAULT '',
  task_id        TEXT NOT NULL DEFAULT '',
  created_at     TIMESTAMPTZ NOT NULL,
  updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX snapshots_listing ON snapshots (project_id, created_at DESC, id DESC);
CREATE INDEX snapshots_volume ON snapshots (volume_id);
CREATE INDEX snapshots_stale ON snapshots (status, updated_at);
CREATE INDEX snapshots_backend ON snapshots (backend_key);

CREATE TABLE attachments (
  id               TEXT COLLATE "C" PRIMARY KEY,
  volume_id        TEXT NOT NULL REFERENCES volumes (id),
  project_id       TEXT NOT NULL,
  instance_uuid    TEXT NOT NULL DEFAULT '',
  status           TEXT NOT NULL CHECK (status IN (
                     'reserved', 'attaching', 'attached', 'detaching', 'detached',
                     'error_attaching', 'error_detaching')),
  mode             TEXT NOT NULL DEFAULT 'rw' CHECK (mode IN ('rw', 'ro')),
  mountpoint       TEXT NOT NULL DEFAULT '',
  connector_host   TEXT NOT NULL DEFAULT '',
  connector_ip     TEXT NOT NULL DEFAULT '',
  conn_protocol    TEXT NOT NULL DEFAULT '' CHECK (conn_protocol IN ('', 'nbd', 'file')),
  conn_host        TEXT NOT NULL DEFAULT '',
  conn_port        INTEGER NOT NULL DEFAULT 0 CHECK (conn_port BETWEEN 0 AND 65535),
  conn_export_name TEXT NOT NULL DEFAULT '',
  conn_path        TEXT NOT NULL DEFAULT '',
  conn_format      TEXT NOT NULL DEFAULT '',
  conn_read_only   BOOLEAN NOT NULL DEFAULT FALSE,
  error            TEXT NOT NULL DEFAULT '',
  task_id          TEXT NOT NULL DEFAULT '',
  created_at       TIMESTAMPTZ NOT NULL,
  updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX attachments_volume ON attachments (volume_id);
CREATE INDEX attachments_instance ON attachments (instance_uuid);

CREATE TABLE volume_types (
  id          TEXT COLLATE "C" PRIMARY KEY,
  name        TEXT COLLATE "C" NOT NULL UNIQUE CHECK (name <> ''),
  description TEXT NOT NULL DEFAULT '',
  is_public   BOOLEAN NOT NULL DEFAULT TRUE,
  extra_specs JSONB NOT NULL DEFAULT '{}',
  created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE volume_type_access (
  type_id    TEXT NOT NULL REFERENCES volume_types (id) ON DELETE CASCADE,
  project_id TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (type_id, project_id)
);
CREATE INDEX volume_type_access_project ON volume_type_access (project_id);

-- One row per backend of a volume agent, replaced by each report except `disabled` and its
-- reason, which only an administrator sets.
CREATE TABLE backends (
  key               TEXT COLLATE "C" PRIMARY KEY,
  host              TEXT NOT NULL,
  backend           TEXT NOT NULL,
  driver            TEXT NOT NULL DEFAULT '',
  availability_zone TEXT NOT NULL DEFAULT '',
  total_gb          BIGINT NOT NULL DEFAULT 0 CHECK (total_gb >= 0),
  free_gb           BIGINT NOT NULL DEFAULT 0 CHECK (free_gb >= 0),
  disabled          BOOLEAN NOT NULL DEFAULT FALSE,
  disabled_reason   TEXT NOT NULL DEFAULT '',
  updated_at        TIMESTAMPTZ NOT NULL
);

-- A project's own limits by Cinder's names (volumes, gigabytes, volumes_<type>, ...);
-- -1 is unlimited.
CREATE TABLE quotas (
  project_id TEXT NOT NULL,
  resource   TEXT NOT NULL,
  hard_limit BIGINT NOT NULL CHECK (hard_limit >= -1),
  PRIMARY KEY (project_id, resource)
);
