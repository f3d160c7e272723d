// Preloaded by bunfig.toml: the products and categories this test run made leave the catalog when it ends, and no
// shop or Mailpit it started outlives it.
import { afterAll } from "bun:test";
import { sql, TEST_CATEGORY_SLUG, TEST_PRODUCT_DESCRIPTION } from "./db.ts";
import { endLeftoverMailpits } from "./mailpit.ts";
import { endLeftoverShops } from "./shop.ts";

afterAll(async () => {
  await endLeftoverShops();
  await endLeftoverMailpits();
  await sql.begin(async (tx) => {
    await tx`DELETE FROM stock_movements WHERE product_id IN (SELECT id FROM products WHERE description = ${TEST_PRODUCT_DESCRIPTION})`;
    await tx`DELETE FROM refused_adjustments WHERE product_id IN (SELECT id FROM products WHERE description = ${TEST_PRODUCT_DESCRIPTION})`;
    await tx`DELETE FROM products WHERE description = ${TEST_PRODUCT_DESCRIPTION}`;
    // A category made by the run goes with its products; one another product was put in stays, and
    // every category counts what is left of its products.
    await tx`DELETE FROM categories c WHERE starts_with(c.slug, ${TEST_CATEGORY_SLUG}) AND NOT EXISTS (SELECT 1 FROM products p WHERE p.category_id = c.id)`;
    await tx`UPDATE categories c SET product_count = (SELECT count(*) FROM products p WHERE p.category_id = c.id AND NOT p.archived)`;
  });
});
