import postgres from "postgres";
import * as v from "valibot";
import { CreateCategoryRequest } from "../../src/catalog/categories.ts";
import { CreateProductRequest } from "../../src/catalog/schemas.ts";
import type { Sql } from "../../src/db/client.ts";
import { syntheticCategories, syntheticProduct } from "./synthetic.ts";

/**
 * The synthetic categories, each passed through the admin API's schema, added where their slug is
 * not there yet: their ids by slug, those made here `cat_<slug>`, those there already as they are.
 */
async function fillCategories(sql: Sql): Promise<Map<string, string>> {
  const categories = syntheticCategories.map((c) => v.parse(CreateCategoryRequest, c));
  const slugs = categories.map((c) => c.slug);
  await sql`
    INSERT INTO categories (id, slug, name)
    SELECT 'cat_' || slug, slug, name FROM unnest(${slugs}::text[], ${categories.map((c) => c.name)}::text[]) AS c(slug, name)
    ON CONFLICT DO NOTHING`;
  const rows = await sql<{ id: string; slug: string }[]>`SELECT id, slug FROM categories WHERE slug = ANY(${slugs})`;
  return new Map(rows.map((r) => [r.slug, r.id]));
}

/**
 * Adds the synthetic categories and products 0..count-1 of the synthetic catalog `seed`, each in its
 * category and first passed through the admin API's own schema, straight into PostgreSQL with their
 * opening stock movements and the categories' counts, as the catalog consumer writes them: `bun run seed-catalog` makes the same products through the API at about 150 a second
 * here, which is eleven minutes for 100,000, longer than the bench itself.
 */
export async function fillCatalog(databaseUrl: string, count: number, seed: number, log: (line: string) => void): Promise<number> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const started = performance.now();
  try {
    const categories = await fillCategories(sql);
    const chunk = 5_000;
    for (let from = 0; from < count; from += chunk) {
      const products = Array.from({ length: Math.min(chunk, count - from) }, (_, i) => {
        const { kind: _kind, category, ...fields } = syntheticProduct(seed, from + i);
        const p = v.parse(CreateProductRequest, { ...fields, categoryId: categories.get(category) });
        return { ...p, id: `prd_${p.sku.toLowerCase()}` };
      });
      await sql.begin(async (tx) => {
        await tx`
          INSERT INTO products (id, sku, name, description, price_cents, currency, stock, image_url, category_id)
          SELECT * FROM unnest(${products.map((p) => p.id)}::text[], ${products.map((p) => p.sku)}::text[], ${products.map((p) => p.name)}::text[],
                               ${products.map((p) => p.description)}::text[], ${products.map((p) => p.priceCents)}::int[], ${products.map(() => "USD")}::text[],
                               ${products.map((p) => p.stock)}::int[], ${products.map((p) => p.imageUrl)}::text[], ${products.map((p) => p.categoryId)}::text[])
          ON CONFLICT (id) DO NOTHING`;
        await tx`
          INSERT INTO stock_movements (product_id, kind, delta, stock_after, reason, at)
          SELECT id, 'opening', stock, stock, 'synthetic catalog', now() FROM unnest(${products.map((p) => p.id)}::text[], ${products.map((p) => p.stock)}::int[]) AS m(id, stock)`;
      });
      log(`catalog: ${(from + products.length).toLocaleString("en-US")} of ${count.toLocaleString("en-US")} products made`);
    }
    // Counted once at the end, from what is there: a product there already was counted when it was made.
    await sql`
      UPDATE categories c SET product_count = (SELECT count(*) FROM products p WHERE p.category_id = c.id AND NOT p.archived)
      WHERE c.id = ANY(${[...categories.values()]})`;
    await sql`VACUUM ANALYZE products`;
    return (performance.now() - started) / 1000;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
