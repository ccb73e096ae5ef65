-- gureum-identity: the Keystone v3 resources, the catalog, application credentials and
-- revocation events. Cascading foreign keys make a delete remove what hangs off it in
-- the same statement (see identity_store.h).

CREATE TABLE domains (
  id          text PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  description text NOT NULL DEFAULT '',
  enabled     boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE projects (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  domain_id   text NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
  -- NO ACTION (checked at statement end) so that a domain delete can cascade through a
  -- whole project tree; DeleteProject refuses a project with children itself.
  parent_id   text REFERENCES projects(id),
  description text NOT NULL DEFAULT '',
  enabled     boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (domain_id, name)
);
CREATE INDEX projects_parent ON projects (parent_id);

CREATE TABLE project_tags (
  project_id text NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  tag        text NOT NULL,
  PRIMARY KEY (project_id, tag)
);

CREATE TABLE users (
  id                  text PRIMARY KEY,
  name                text NOT NULL,
  domain_id           text NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
  -- No foreign key: Keystone keeps a dangling default project; auth then ignores it.
  default_project_id  text,
  description         text NOT NULL DEFAULT '',
  email               text NOT NULL DEFAULT '',
  enabled             boolean NOT NULL DEFAULT true,
  ignore_lockout      boolean NOT NULL DEFAULT false,
  password_hash       text NOT NULL DEFAULT '',
  password_expires_at timestamptz,
  failed_auth_count   integer NOT NULL DEFAULT 0,
  last_failed_auth_at timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (domain_id, name)
);

CREATE TABLE groups (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  domain_id   text NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
  description text NOT NULL DEFAULT '',
  UNIQUE (domain_id, name)
);

CREATE TABLE user_group_membership (
  user_id  text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  group_id text NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, group_id)
);
CREATE INDEX user_group_membership_group ON user_group_membership (group_id);

CREATE TABLE roles (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  domain_id   text REFERENCES domains(id) ON DELETE CASCADE,  -- NULL: a global role
  description text NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX roles_name ON roles (COALESCE(domain_id, ''), name);

CREATE TABLE implied_roles (
  prior_role_id   text NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  implied_role_id text NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  PRIMARY KEY (prior_role_id, implied_role_id)
);

-- One actor (user or group) and one target (project, domain or the system).
CREATE TABLE role_assignments (
  role_id    text NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  user_id    text REFERENCES users(id) ON DELETE CASCADE,
  group_id   text REFERENCES groups(id) ON DELETE CASCADE,
  project_id text REFERENCES projects(id) ON DELETE CASCADE,
  domain_id  text REFERENCES domains(id) ON DELETE CASCADE,
  system     boolean NOT NULL DEFAULT false,
  inherited  boolean NOT NULL DEFAULT false,
  CHECK (num_nonnulls(user_id, group_id) = 1),
  CHECK (num_nonnulls(project_id, domain_id) + (CASE WHEN system THEN 1 ELSE 0 END) = 1)
);
CREATE UNIQUE INDEX role_assignments_unique ON role_assignments (
  role_id, COALESCE(user_id, ''), COALESCE(group_id, ''), COALESCE(project_id, ''),
  COALESCE(domain_id, ''), system, inherited);
CREATE INDEX role_assignments_user ON role_assignments (user_id);
CREATE INDEX role_assignments_group ON role_assignments (group_id);
CREATE INDEX role_assignments_project ON role_assignments (project_id);

CREATE TABLE regions (
  id               text PRIMARY KEY,
  description      text NOT NULL DEFAULT '',
  parent_region_id text REFERENCES regions(id) ON DELETE RESTRICT
);

CREATE TABLE services (
  id          text PRIMARY KEY,
  type        text NOT NULL,
  name        text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  enabled     boolean NOT NULL DEFAULT true
);

CREATE TABLE endpoints (
  id         text PRIMARY KEY,
  service_id text NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  region_id  text REFERENCES regions(id) ON DELETE RESTRICT,
  interface  text NOT NULL CHECK (interface IN ('public', 'internal', 'admin')),
  url        text NOT NULL,
  enabled    boolean NOT NULL DEFAULT true
);

CREATE TABLE application_credentials (
  id           text PRIMARY KEY,
  name         text NOT NULL,
  user_id      text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  project_id   text NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  description  text NOT NULL DEFAULT '',
  secret_hash  text NOT NULL,
  expires_at   timestamptz,
  unrestricted boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, name)
);

CREATE TABLE application_credential_roles (
  credential_id text NOT NULL REFERENCES application_credentials(id) ON DELETE CASCADE,
  role_id       text NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  PRIMARY KEY (credential_id, role_id)
);

-- Exactly one kind of match per row, as common/auth RevocationEvent.
CREATE TABLE revocation_events (
  seq           bigserial PRIMARY KEY,
  audit_id      text,
  user_id       text,
  project_id    text,
  issued_before timestamptz NOT NULL,
  revoked_at    timestamptz NOT NULL
);
CREATE INDEX revocation_events_revoked_at ON revocation_events (revoked_at);

INSERT INTO domains (id, name, description, enabled)
VALUES ('default', 'Default', 'The default domain', true);
