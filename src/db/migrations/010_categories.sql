-- Categories of the catalog: a name, and a slug that is the category's storefront address
-- (/categories/<slug>) and so never changes. A product is in one category or none.
CREATE TABLE categories (
  id text PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  -- Its products on sale, kept by the catalog consumer in the transaction that changes them:
  -- GET /api/categories reads a few dozen rows, where counting 100,000 products took every request.
  product_count integer NOT NULL DEFAULT 0 CHECK (product_count >= 0),
  -- The command that created it, so a redelivered create is answered as it was (null for a seed's).
  command_id uuid UNIQUE
);

ALTER TABLE products ADD COLUMN category_id text REFERENCES categories (id);

-- A category's page, by name: read through its own index, not the whole catalog's name order filtered.
CREATE INDEX products_in_category ON products (category_id, name, id) WHERE NOT archived AND category_id IS NOT NULL;
