-- Placement: one resource provider per compute host, its inventories (with the running
-- sum of allocations in `used`, kept by every allocation change in the same
-- transaction), traits, consumers (instances, migrations) and their allocations, and
-- server-group membership for the atomic affinity checks.
CREATE TABLE resource_providers (
  id bigserial PRIMARY KEY,
  uuid text NOT NULL UNIQUE,
  name text NOT NULL UNIQUE,
  generation bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE inventories (
  provider_id bigint NOT NULL REFERENCES resource_providers (id) ON DELETE CASCADE,
  resource_class text NOT NULL,
  total bigint NOT NULL CHECK (total >= 0),
  reserved bigint NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  min_unit bigint NOT NULL DEFAULT 1 CHECK (min_unit >= 1),
  max_unit bigint NOT NULL CHECK (max_unit >= 0),
  step_size bigint NOT NULL DEFAULT 1 CHECK (step_size >= 1),
  allocation_ratio double precision NOT NULL CHECK (allocation_ratio > 0),
  used bigint NOT NULL DEFAULT 0 CHECK (used >= 0),
  PRIMARY KEY (provider_id, resource_class)
);

CREATE TABLE provider_traits (
  provider_id bigint NOT NULL REFERENCES resource_providers (id) ON DELETE CASCADE,
  trait text NOT NULL,
  PRIMARY KEY (provider_id, trait)
);

CREATE TABLE consumers (
  uuid text PRIMARY KEY,
  project_id text NOT NULL DEFAULT '',
  user_id text NOT NULL DEFAULT '',
  generation bigint NOT NULL DEFAULT 1,
  claim_key text NOT NULL DEFAULT '',
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE allocations (
  consumer_uuid text NOT NULL REFERENCES consumers (uuid) ON DELETE CASCADE,
  provider_id bigint NOT NULL REFERENCES resource_providers (id),
  resource_class text NOT NULL,
  used bigint NOT NULL CHECK (used > 0),
  PRIMARY KEY (consumer_uuid, provider_id, resource_class)
);
CREATE INDEX allocations_provider ON allocations (provider_id);

CREATE TABLE group_members (
  group_uuid text NOT NULL,
  consumer_uuid text NOT NULL REFERENCES consumers (uuid) ON DELETE CASCADE,
  provider_id bigint NOT NULL REFERENCES resource_providers (id),
  PRIMARY KEY (group_uuid, consumer_uuid)
);
CREATE INDEX group_members_consumer ON group_members (consumer_uuid);
