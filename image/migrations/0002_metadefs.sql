-- gureum-image: metadata definition namespaces (Glance's metadefs). A namespace is read and
-- written whole (its objects, properties, tags and resource type associations are JSONB in
-- `body`, see pg_metadef_store.cc): they are small, always shown with it, and changed under
-- the row's lock.
CREATE TABLE metadef_namespaces (
  name       TEXT PRIMARY KEY,
  owner      TEXT NOT NULL,
  visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
  body       JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
