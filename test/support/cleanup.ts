// Preloaded by bunfig.toml: the products this test run made leave the catalog when it ends, and no
// shop it started outlives it.
import { afterAll } from "bun:test";
import { sql, TEST_PRODUCT_DESCRIPTION } from "./db.ts";
import { endLeftoverShops } from "./shop.ts";

afterAll(async () => {
  await endLeftoverShops();
  await sql.begin(async (tx) => {
    await tx`DELETE FROM stock_movements WHERE product_id IN (SELECT id FROM products WHERE description = ${TEST_PRODUCT_DESCRIPTION})`;
    await tx`DELETE FROM refused_adjustments WHERE product_id IN (SELECT id FROM products WHERE description = ${TEST_PRODUCT_DESCRIPTION})`;
    await tx`DELETE FROM products WHERE description = ${TEST_PRODUCT_DESCRIPTION}`;
  });
});
