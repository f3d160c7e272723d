-- Relevance reads each tier through an index (db/productSearch.ts): an exact name by its lower case,
-- the names that hold every word of a search through a GIN index of the names alone, where 009's
-- index covers names and descriptions together.
CREATE INDEX products_by_lower_name ON products (lower(name)) WHERE NOT archived;
CREATE INDEX products_name_search ON products USING gin (name_search) WHERE NOT archived;
