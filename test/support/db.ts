import postgres from "postgres";
import { DEFAULT_DATABASE_URL } from "../../src/config.ts";

export const DATABASE_URL = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;

export const sql = postgres(DATABASE_URL, { max: 4, onnotice: () => {} });
/** The run's database, or a test's own server (test/support/privatePostgres.ts). */
export type Sql = typeof sql;

process.env.SHOP_TEST_RUN ??= crypto.randomUUID();
/** Marks the products of this run, which test/support/cleanup.ts removes when the run ends. */
export const TEST_PRODUCT_DESCRIPTION = `made by test run ${process.env.SHOP_TEST_RUN}`;

/** Starts the slug of every category this run makes, which test/support/cleanup.ts removes when the run ends. */
export const TEST_CATEGORY_SLUG = `test-${process.env.SHOP_TEST_RUN!.replaceAll("-", "").slice(0, 16)}-`;

/**
 * A product of the test's own, so tests never share stock; its stock is its opening movement in the
 * ledger. In `categoryId`, it counts in that category's products on sale, as the catalog consumer would count it.
 */
export async function createProduct({ stock, priceCents = 1000, name = "Test product", categoryId = null, db = sql }: {
  stock: number; priceCents?: number; name?: string; categoryId?: string | null; db?: Sql;
}) {
  const id = `test_${crypto.randomUUID()}`;
  await db.begin(async (tx) => {
    await tx`INSERT INTO products (id, sku, name, description, price_cents, currency, stock, image_url, category_id)
             VALUES (${id}, ${id}, ${name}, ${TEST_PRODUCT_DESCRIPTION}, ${priceCents}, 'USD', ${stock}, '/images/house-espresso.svg', ${categoryId})`;
    await tx`INSERT INTO stock_movements (product_id, kind, delta, stock_after, reason, at) VALUES (${id}, 'opening', ${stock}, ${stock}, 'test', now())`;
    if (categoryId) await tx`UPDATE categories SET product_count = product_count + 1 WHERE id = ${categoryId}`;
  });
  return id;
}

/** The sum of a product's movements in the ledger, which must be its stock. */
export async function ledgerOf(productId: string): Promise<number> {
  const [row] = await sql<{ sum: number }[]>`SELECT COALESCE(sum(delta), 0)::int AS sum FROM stock_movements WHERE product_id = ${productId}`;
  return row!.sum;
}

export async function stockOf(productId: string): Promise<number> {
  const [row] = await sql<{ stock: number }[]>`SELECT stock FROM products WHERE id = ${productId}`;
  return row!.stock;
}

export async function orderRow(orderId: string) {
  const [row] = await sql<{ status: string; reason: string | null }[]>`SELECT status, reason FROM orders WHERE id = ${orderId}`;
  return row;
}
