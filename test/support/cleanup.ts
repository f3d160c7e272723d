// Preloaded by bunfig.toml: the products this test run made leave the catalog when it ends.
import { afterAll } from "bun:test";
import { sql, TEST_PRODUCT_DESCRIPTION } from "./db.ts";

afterAll(async () => {
  await sql`DELETE FROM products WHERE description = ${TEST_PRODUCT_DESCRIPTION}`;
});
