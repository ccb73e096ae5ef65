-- /v3/credentials (and the OS-EC2 ones, of type 'ec2'): the blob is stored encrypted
-- (CredentialManager), never as the client gave it.
CREATE TABLE credentials (
  id             text PRIMARY KEY,
  user_id        text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  project_id     text REFERENCES projects(id) ON DELETE CASCADE,
  type           text NOT NULL,
  encrypted_blob text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credentials_user_idx ON credentials (user_id);
