-- Migration 011's slug trigger looks a product up by its id and by a slug, once per row inserted, and
-- PL/pgSQL plans those lookups once per connection. Planned on an empty table (a new database, then a
-- bulk load of the synthetic catalog on one connection), the plan was a sequential scan, kept for
-- every row after: 20,000 products took 84 to 120 s to load instead of 3.5 s. Each lookup is one row
-- through a unique index at any size of the table, so neither ever scans it whole (4.9 s).
ALTER FUNCTION name_product() SET enable_seqscan = off;
ALTER FUNCTION free_product_slug(text, text) SET enable_seqscan = off;
