CREATE TABLE widgets (
  id text PRIMARY KEY,
  name text NOT NULL UNIQUE,
  size integer NOT NULL CHECK (size > 0)
);
