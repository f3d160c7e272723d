import * as v from "valibot";
import { CreateCategoryRequest, type ListedCategory } from "../../src/catalog/categories.ts";
import { CreateProductRequest } from "../../src/catalog/schemas.ts";
import { syntheticCategories, syntheticProduct } from "./synthetic.ts";

/** What the admin API is given at once: enough to keep the catalog consumer's batches full, few enough for a laptop. */
export const CONCURRENCY = 32;

export type Tally = { created: number; existing: number; failed: number };

type Answer = { error?: { code?: string; reason?: string; message?: string } } | null;

/** How long a category created with a 202 (in Kafka, not yet applied) may take to show in the list. */
const CATEGORIES_WAIT_MS = 30_000;

/**
 * The synthetic catalog's categories in the shop at `url`, each made through the admin API unless
 * its slug is there already: their ids by slug, or why they could not be made.
 */
async function seedCategories(url: string, headers: Record<string, string>): Promise<Map<string, string> | string> {
  for (const category of syntheticCategories) {
    const response = await fetch(`${url}/api/admin/categories`, { method: "POST", headers, body: JSON.stringify(v.parse(CreateCategoryRequest, category)) });
    const answer = await response.json().catch(() => null) as Answer;
    const made = response.status === 200 || response.status === 202 || (response.status === 409 && answer?.error?.reason === "duplicate_slug");
    if (!made) return `category ${category.slug}: ${response.status} ${JSON.stringify(answer)}`;
  }
  for (const until = Date.now() + CATEGORIES_WAIT_MS; ;) {
    const listed = await (await fetch(`${url}/api/categories`)).json() as ListedCategory[];
    const ids = new Map(listed.map((c) => [c.slug, c.id]));
    if (syntheticCategories.every((c) => ids.has(c.slug))) return ids;
    if (Date.now() > until) return `categories not applied within ${CATEGORIES_WAIT_MS / 1000} s: ${syntheticCategories.filter((c) => !ids.has(c.slug)).map((c) => c.slug).join(", ")}`;
    await Bun.sleep(200);
  }
}

/**
 * Makes the synthetic categories, then products 0..products-1 of the synthetic catalog `seed`, each in its
 * category, through the admin API of the shop at `url`, `concurrency` at a time; a product whose sku is
 * there already is counted, not made twice, and a category whose slug is there already is used as it is.
 */
export async function seedCatalog({ products, seed, url, token, concurrency = CONCURRENCY, log, warn }: {
  products: number; seed: number; url: string; token: string; concurrency?: number; log: (line: string) => void; warn: (line: string) => void;
}): Promise<Tally> {
  const tally: Tally = { created: 0, existing: 0, failed: 0 };
  const headers = { "Content-Type": "application/json", Authorization: `Bearer ${token}` };
  const started = performance.now();
  const categories = await seedCategories(url, headers);
  if (typeof categories === "string") {
    warn(`seed-catalog: ${categories}`);
    return { ...tally, failed: products };
  }
  let next = 0;
  const progress = setInterval(() => log(`seed-catalog: ${tally.created + tally.existing} of ${products} (${tally.created} made, ${tally.existing} there already)`), 5_000);
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, products) }, async () => {
      while (next < products) {
        const { kind: _kind, category, ...fields } = syntheticProduct(seed, next++);
        const body = v.parse(CreateProductRequest, { ...fields, categoryId: categories.get(category) });
        const response = await fetch(`${url}/api/admin/products`, { method: "POST", headers, body: JSON.stringify(body) });
        const answer = await response.json().catch(() => null) as Answer;
        // 202: the catalog command is in Kafka and will be applied, only not within the API's 5 s.
        if (response.status === 200 || response.status === 202) tally.created++;
        else if (response.status === 409 && answer?.error?.reason === "duplicate_sku") tally.existing++;
        else {
          tally.failed++;
          if (tally.failed <= 5) warn(`seed-catalog: ${body.sku}: ${response.status} ${JSON.stringify(answer)}`);
        }
      }
    }));
  } finally {
    clearInterval(progress);
  }
  const seconds = (performance.now() - started) / 1000;
  log(`seed-catalog: ${products} products (seed ${seed}) in ${categories.size} categories in ${seconds.toFixed(1)} s: ${tally.created} made, ${tally.existing} there already, ${tally.failed} failed`);
  return tally;
}
