-- A second step, so that tests see versions applied in order.
ALTER TABLE widgets ADD COLUMN color text;
CREATE INDEX widgets_color ON widgets (color);
