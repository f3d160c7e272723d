/**
 * `bun run seed-catalog -- --products N [--seed S] [--url URL]`: fills a running shop's catalog with
 * N synthetic products (scripts/catalog/synthetic.ts) through its admin API, as an owner would add
 * them, so every product has passed the same validation and the same catalog commands as one made
 * on /admin. ADMIN_TOKEN is the shop's. Run again, it adds only what is missing: a product whose sku
 * is there already is counted, not made twice.
 */
import { parseArgs } from "node:util";
import * as v from "valibot";
import { CreateProductRequest } from "../src/catalog/schemas.ts";
import { syntheticProduct } from "./catalog/synthetic.ts";

const USAGE = "usage: ADMIN_TOKEN=… bun run seed-catalog -- --products N [--seed S] [--url http://localhost:8080] [--concurrency 32]";
/** What the admin API is given at once: enough to keep the catalog consumer's batches full, few enough for a laptop. */
const CONCURRENCY = 32;

function options() {
  const { values } = parseArgs({
    options: { products: { type: "string" }, seed: { type: "string", default: "1" }, url: { type: "string", default: "http://localhost:8080" }, concurrency: { type: "string", default: String(CONCURRENCY) } },
    strict: true,
  });
  const count = (name: string, value: string | undefined, min: number) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min) throw new Error(`--${name} is a whole number of at least ${min}\n${USAGE}`);
    return n;
  };
  const token = process.env.ADMIN_TOKEN;
  if (!token) throw new Error(`ADMIN_TOKEN is the shop's admin token\n${USAGE}`);
  return { products: count("products", values.products, 1), seed: count("seed", values.seed, 0), concurrency: count("concurrency", values.concurrency, 1), url: values.url!.replace(/\/$/, ""), token };
}

type Tally = { created: number; existing: number; failed: number };

async function seed({ products, seed, url, token, concurrency }: ReturnType<typeof options>): Promise<Tally> {
  const tally: Tally = { created: 0, existing: 0, failed: 0 };
  let next = 0;
  const started = performance.now();
  const progress = setInterval(() => console.log(`seed-catalog: ${tally.created + tally.existing} of ${products} (${tally.created} made, ${tally.existing} there already)`), 5_000);
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
          if (tally.failed <= 5) console.error(`seed-catalog: ${body.sku}: ${response.status} ${JSON.stringify(answer)}`);
        }
      }
    }));
  } finally {
    clearInterval(progress);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`seed-catalog: ${products} products (seed ${seed}) in ${seconds.toFixed(1)} s: ${tally.created} made, ${tally.existing} there already, ${tally.failed} failed`);
  return tally;
}

try {
  const tally = await seed(options());
  process.exit(tally.failed === 0 ? 0 : 1);
} catch (error) {
  console.error(`seed-catalog: ${(error as Error).message}`);
  process.exit(2);
}
