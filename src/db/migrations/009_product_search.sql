-- Search and browse over a catalog of any size: every list is a page read through an index, never
-- the whole table. pg_trgm is a trusted extension: the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- When each product was listed, as a number that only grows: "newest" pages by it exactly, where a
-- timestamp's microseconds do not survive a round trip through JavaScript.
ALTER TABLE products ADD COLUMN listed bigint GENERATED ALWAYS AS IDENTITY;

-- Full text, the name weighted above the description; English stemming finds "teas" for "tea".
ALTER TABLE products ADD COLUMN search tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english', name), 'A') || setweight(to_tsvector('english', description), 'B')
) STORED;

CREATE INDEX products_search ON products USING gin (search) WHERE NOT archived;
-- Near misses ("asam brekfast") by trigram similarity of the name, whole or word by word.
CREATE INDEX products_name_trigrams ON products USING gin (lower(name) gin_trgm_ops) WHERE NOT archived;
CREATE INDEX products_by_name ON products (name, id) WHERE NOT archived;
CREATE INDEX products_by_price ON products (price_cents, id) WHERE NOT archived;
CREATE INDEX products_newest ON products (listed) WHERE NOT archived;
