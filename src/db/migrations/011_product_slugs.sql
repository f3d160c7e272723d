-- Every product has a page at /products/<slug>. The catalog consumer names a product it creates
-- with src/catalog/slug.ts (letters of every script kept); a row written without a slug (this
-- backfill, bulk loads of synthetic catalogs, tests' own products) is named here by the same rule
-- for Latin names, every other character a separator. A slug never changes once given, renames
-- included: a page's address that search engines and shoppers keep must keep working.
ALTER TABLE products ADD COLUMN slug text;
CREATE UNIQUE INDEX products_slug ON products (slug);

CREATE FUNCTION product_slug_base(name text) RETURNS text IMMUTABLE LANGUAGE sql AS $$
  SELECT coalesce(nullif(trim(BOTH '-' FROM left(trim(BOTH '-' FROM regexp_replace(
    regexp_replace(lower(normalize(name, NFKD)), '([a-z])[\u0300-\u036f]+', '\1', 'g'), '[^a-z0-9]+', '-', 'g')), 80)), ''), 'product')
$$;

-- The slug asked for, or the first of "<slug>-2", "<slug>-3"… no other product has. Transactions
-- naming products take turns (one lock, held to commit, so that a bulk load of thousands of
-- products holds one lock, not thousands), and two creates never take one slug.
CREATE FUNCTION free_product_slug(wanted text, product text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  candidate text := wanted;
  n int := 1;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('product slugs'));
  WHILE EXISTS (SELECT 1 FROM products WHERE slug = candidate AND id <> product) LOOP
    n := n + 1;
    candidate := wanted || '-' || n;
  END LOOP;
  RETURN candidate;
END
$$;

-- Before the insert of ON CONFLICT too: an upsert of a product that exists then keeps its own slug,
-- as the update part never sets it.
CREATE FUNCTION name_product() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.slug IS NOT NULL AND EXISTS (SELECT 1 FROM products WHERE id = NEW.id) THEN
    RETURN NEW;
  END IF;
  NEW.slug := free_product_slug(coalesce(NEW.slug, product_slug_base(NEW.name)), NEW.id);
  RETURN NEW;
END
$$;

CREATE TRIGGER products_slug BEFORE INSERT ON products FOR EACH ROW EXECUTE FUNCTION name_product();

-- One statement per product, so each sees the slugs given before it; oldest products first keep
-- the plain slug.
DO $$
DECLARE
  p record;
BEGIN
  FOR p IN SELECT id, name FROM products WHERE slug IS NULL ORDER BY listed LOOP
    UPDATE products SET slug = free_product_slug(product_slug_base(p.name), p.id) WHERE id = p.id;
  END LOOP;
END
$$;

ALTER TABLE products ALTER COLUMN slug SET NOT NULL;
