-- gureum-compute: flavors, keypairs, instances (with faults, actions and events), server
-- groups, quotas, services, aggregates, migrations.

CREATE TABLE flavors (
  id            text PRIMARY KEY,
  name          text NOT NULL UNIQUE,
  vcpus         integer NOT NULL CHECK (vcpus > 0),
  ram_mb        bigint NOT NULL CHECK (ram_mb > 0),
  disk_gb       bigint NOT NULL CHECK (disk_gb >= 0),
  ephemeral_gb  bigint NOT NULL DEFAULT 0 CHECK (ephemeral_gb >= 0),
  swap_mb       bigint NOT NULL DEFAULT 0 CHECK (swap_mb >= 0),
  rxtx_factor   double precision NOT NULL DEFAULT 1.0,
  is_public     boolean NOT NULL DEFAULT true,
  disabled      boolean NOT NULL DEFAULT false,
  description   text,
  extra_specs   jsonb NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE flavor_projects (
  flavor_id   text NOT NULL REFERENCES flavors(id) ON DELETE CASCADE,
  project_id  text NOT NULL,
  PRIMARY KEY (flavor_id, project_id)
);

CREATE TABLE keypairs (
  user_id      text NOT NULL,
  name         text NOT NULL,
  type         text NOT NULL DEFAULT 'ssh',
  public_key   text NOT NULL,
  fingerprint  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, name)
);

CREATE TABLE server_groups (
  uuid        text PRIMARY KEY,
  name        text NOT NULL,
  project_id  text NOT NULL,
  user_id     text NOT NULL,
  policy      text NOT NULL,
  max_server_per_host integer NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX server_groups_project ON server_groups (project_id);

CREATE TABLE instances (
  uuid               text PRIMARY KEY,
  name               text NOT NULL,
  project_id         text NOT NULL,
  user_id            text NOT NULL,
  flavor             jsonb NOT NULL,      -- the flavor as it was at boot (or after resize)
  new_flavor         jsonb,               -- resize in progress
  old_flavor         jsonb,               -- resized, waiting for confirm/revert
  vcpus              integer NOT NULL,    -- quota usage (the flavor's, kept in columns)
  memory_mb          bigint NOT NULL,
  image_ref          text NOT NULL,
  image              jsonb NOT NULL DEFAULT '{}',
  vm_state           text NOT NULL,
  task_state         text,
  power_state        integer NOT NULL DEFAULT 0,
  task_id            text,
  host               text,
  node               text,
  availability_zone  text,
  key_name           text,
  key_data           text,
  user_data          text,
  metadata           jsonb NOT NULL DEFAULT '{}',
  networks           jsonb NOT NULL DEFAULT '[]',
  server_group       text,
  hostname           text,
  launch_index       integer NOT NULL DEFAULT 0,
  reservation_id     text,
  description        text,
  locked             boolean NOT NULL DEFAULT false,
  locked_by          text,              -- admin | owner
  locked_reason      text,
  console_tail       text NOT NULL DEFAULT '',
  progress           integer NOT NULL DEFAULT 0,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  launched_at        timestamptz,
  terminated_at      timestamptz
);
CREATE INDEX instances_project ON instances (project_id, created_at);
CREATE INDEX instances_host ON instances (host);

CREATE TABLE server_group_members (
  group_uuid     text NOT NULL REFERENCES server_groups(uuid) ON DELETE CASCADE,
  instance_uuid  text NOT NULL,
  PRIMARY KEY (group_uuid, instance_uuid)
);

CREATE TABLE instance_faults (
  id             bigserial PRIMARY KEY,
  instance_uuid  text NOT NULL REFERENCES instances(uuid) ON DELETE CASCADE,
  code           integer NOT NULL,
  message        text NOT NULL,
  details        text NOT NULL DEFAULT '',
  host           text,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX instance_faults_instance ON instance_faults (instance_uuid, id);

-- Kept after the instance is deleted (Nova lists actions of deleted servers to admins).
CREATE TABLE instance_actions (
  id             bigserial PRIMARY KEY,
  instance_uuid  text NOT NULL,
  request_id     text NOT NULL,
  action         text NOT NULL,
  project_id     text NOT NULL,
  user_id        text NOT NULL,
  message        text,
  start_time     timestamptz NOT NULL DEFAULT now(),
  finish_time    timestamptz,
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX instance_actions_instance ON instance_actions (instance_uuid, id);

CREATE TABLE instance_action_events (
  id           bigserial PRIMARY KEY,
  action_id    bigint NOT NULL REFERENCES instance_actions(id) ON DELETE CASCADE,
  event        text NOT NULL,
  result       text,
  host         text,
  details      text,
  start_time   timestamptz NOT NULL DEFAULT now(),
  finish_time  timestamptz
);

CREATE TABLE quotas (
  project_id  text NOT NULL,
  resource    text NOT NULL,
  hard_limit  bigint NOT NULL,
  PRIMARY KEY (project_id, resource)
);

CREATE TABLE services (
  id                 serial PRIMARY KEY,
  uuid               text NOT NULL UNIQUE,
  host               text NOT NULL,
  binary_name        text NOT NULL,
  enabled            boolean NOT NULL DEFAULT true,
  disabled_reason    text,
  forced_down        boolean NOT NULL DEFAULT false,
  last_seen_at       timestamptz,
  report_count       bigint NOT NULL DEFAULT 0,
  availability_zone  text,
  node_uuid          text,
  hypervisor_type    text,
  host_ip            text,
  running_vms        integer NOT NULL DEFAULT 0,
  version            text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (host, binary_name)
);

CREATE TABLE aggregates (
  id                 serial PRIMARY KEY,
  uuid               text NOT NULL UNIQUE,
  name               text NOT NULL UNIQUE,
  availability_zone  text,
  metadata           jsonb NOT NULL DEFAULT '{}',
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE aggregate_hosts (
  aggregate_id  integer NOT NULL REFERENCES aggregates(id) ON DELETE CASCADE,
  host          text NOT NULL,
  PRIMARY KEY (aggregate_id, host)
);

CREATE TABLE migrations (
  uuid            text PRIMARY KEY,
  instance_uuid   text NOT NULL,
  migration_type  text NOT NULL,   -- resize, migration, evacuation
  status          text NOT NULL,
  source_host     text,
  dest_host       text,
  old_flavor_id   text,
  new_flavor_id   text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX migrations_instance ON migrations (instance_uuid);
