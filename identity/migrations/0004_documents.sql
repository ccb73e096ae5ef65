-- What identity keeps for Keystone's API without acting on it: policy blobs, OAuth1
-- consumers, endpoint groups and domain configurations (extension_manager.h), one JSON
-- object each. A domain's configuration goes with the domain (pg_document_store.cc).
CREATE TABLE documents (
  kind       text NOT NULL,
  id         text NOT NULL,
  body       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, id)
);
