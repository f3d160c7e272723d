import * as v from "valibot";
import { CreateProductRequest } from "../../src/catalog/schemas.ts";
import { syntheticProduct } from "./synthetic.ts";

/** What the admin API is given at once: enough to keep the catalog consumer's batches full, few enough for a laptop. */
export const CONCURRENCY = 32;

export type Tally = { created: number; existing: number; failed: number };

/**
 * Makes products 0..products-1 of the synthetic catalog `seed` through the admin API of the shop at
 * `url`, `concurrency` at a time; a product whose sku is there already is counted, not made twice.
 */
export async function seedCatalog({ products, seed, url, token, concurrency = CONCURRENCY, log, warn }: {
  products: number; seed: number; url: string; token: string; concurrency?: number; log: (line: string) => void; warn: (line: string) => void;
}): Promise<Tally> {
  const tally: Tally = { created: 0, existing: 0, failed: 0 };
  let next = 0;
  const started = performance.now();
  const progress = setInterval(() => log(`seed-catalog: ${tally.created + tally.existing} of ${products} (${tally.created} made, ${tally.existing} there already)`), 5_000);
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, products) }, async () => {
      while (next < products) {
        const { kind: _kind, ...fields } = syntheticProduct(seed, next++);
        const body = v.parse(CreateProductRequest, fields);
        const response = await fetch(`${url}/api/admin/products`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
        });
        const answer = await response.json().catch(() => null) as { error?: { code?: string; reason?: string; message?: string } } | null;
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
  log(`seed-catalog: ${products} products (seed ${seed}) in ${seconds.toFixed(1)} s: ${tally.created} made, ${tally.existing} there already, ${tally.failed} failed`);
  return tally;
}

