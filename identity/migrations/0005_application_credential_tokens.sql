-- The tokens issued from each application credential (their audit ids, until they expire):
-- deleting the credential revokes exactly those, not all of its user's tokens.
CREATE TABLE application_credential_tokens (
  credential_id text NOT NULL REFERENCES application_credentials(id) ON DELETE CASCADE,
  audit_id      text NOT NULL,
  expires_at    timestamptz NOT NULL,
  PRIMARY KEY (credential_id, audit_id)
);
