-- Keystone keeps a user's attributes beyond its schema ("extra") and returns them.
ALTER TABLE users ADD COLUMN extra text NOT NULL DEFAULT '';
