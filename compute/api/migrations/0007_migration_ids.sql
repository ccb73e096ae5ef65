-- Nova's os-migrations lists migrations by an integer id (its paging marker is the uuid):
-- each migration gets one from a sequence, in the order they are made.
ALTER TABLE migrations ADD COLUMN id bigserial;
CREATE UNIQUE INDEX migrations_id ON migrations (id);
