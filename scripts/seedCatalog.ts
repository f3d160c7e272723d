/**
 * `bun run seed-catalog -- --products N [--seed S] [--url URL]`: fills a running shop's catalog with
 * N synthetic products (scripts/catalog/synthetic.ts) through its admin API, as an owner would add
 * them, so every product has passed the same validation and the same catalog commands as one made
 * on /admin. ADMIN_TOKEN is the shop's. Run again, it adds only what is missing: a product whose sku
 * is there already is counted, not made twice.
 */
import { parseArgs } from "node:util";
import { CONCURRENCY, seedCatalog } from "./catalog/seed.ts";

const USAGE = "usage: ADMIN_TOKEN=… bun run seed-catalog -- --products N [--seed S] [--url http://localhost:8080] [--concurrency 32]";

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

try {
  const tally = await seedCatalog({ ...options(), log: console.log, warn: console.error });
  process.exit(tally.failed === 0 ? 0 : 1);
} catch (error) {
  console.error(`seed-catalog: ${(error as Error).message}`);
  process.exit(2);
}
