-- A category's pages in each of their orders read through an index of the category's own products
-- (010 has the one by name): walking the whole catalog's order and keeping one category's products
-- read 11,000 rows of gear for the first page of oolong teas by price, high to low, 17 ms over
-- 100,000 products (0.6 ms so), and a category small or far from the top of an order reads them all.
CREATE INDEX products_in_category_newest ON products (category_id, listed) WHERE NOT archived AND category_id IS NOT NULL;
CREATE INDEX products_in_category_by_price ON products (category_id, price_cents, id) WHERE NOT archived AND category_id IS NOT NULL;
