import { join } from "node:path";
import postgres from "postgres";
import { fillCatalog } from "../catalog/fill.ts";
import type { Options } from "./args.ts";
import { Histogram } from "./latency.ts";
import { openLoop, WARM_UP_SECONDS } from "./openLoop.ts";
import { writeReport } from "./report.ts";
import type { BenchShop } from "./shop.ts";

const ROOT = join(import.meta.dir, "..", "..");
const SEED = 1;
/** Issue 21: a server-rendered product page, p99 to the last byte, at 200 pages a second. */
const P99_TARGET_MS = 30;
/** Pages asked for, drawn at random from the whole catalog: enough that PostgreSQL's cache is not one page's. */
const SAMPLE = 5_000;
const ms = (x: number) => (Number.isNaN(x) ? "-" : `${x < 10 ? x.toFixed(1) : Math.round(x)}ms`);

/**
 * `--mode pages`: makes `--products` synthetic products (default 100,000), then asks for `--rate`
 * server-rendered product pages a second (default 200) for `--duration` seconds (default 20), open
 * loop, after WARM_UP_SECONDS of the same unmeasured, each as a browser does (brotli or gzip), timed from when it was due to its last byte.
 */
export async function benchPages({ url, databaseUrl, options, shop }: { url: string; databaseUrl: string; options: Options; shop?: BenchShop }): Promise<number> {
  const seconds = options.duration ?? 20;
  const products = options.products;
  let exitCode = 0;
  try {
    const seedSeconds = await fillCatalog(databaseUrl, products, SEED, console.log);
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    const slugs = (await sql<{ slug: string }[]>`SELECT slug FROM products WHERE NOT archived ORDER BY random() LIMIT ${SAMPLE}`).map((r) => r.slug);
    await sql.end();
    console.log(`bench: pages: ${products.toLocaleString("en-US")} products in ${seedSeconds.toFixed(0)} s; ${options.rate} product pages/s for ${seconds} s`);

    const latency = new Histogram();
    let errors = 0;
    let bytes = 0;
    const ask = (measured: boolean) => async (i: number, due: number) => {
      try {
        const response = await fetch(`${url}/products/${encodeURIComponent(slugs[i % slugs.length]!)}`, {
          headers: { "Accept-Encoding": "br, gzip" }, signal: AbortSignal.timeout(10_000),
        });
        const body = await response.arrayBuffer();
        if (response.status !== 200) throw new Error(String(response.status));
        if (!measured) return;
        latency.record(performance.now() - due);
        bytes += body.byteLength;
      } catch {
        if (measured) errors++;
      }
    };
    await openLoop(options.rate, WARM_UP_SECONDS, ask(false));
    await openLoop(options.rate, seconds, ask(true));
    const summary = latency.summary();
    console.log(`\nproduct pages ${summary.count}, errors ${errors}: p50 ${ms(summary.p50)}, p95 ${ms(summary.p95)}, p99 ${ms(summary.p99)}, max ${ms(summary.max)}; ${(bytes / Math.max(summary.count, 1) / 1024).toFixed(1)} KB a page as HTML`);
    const met = summary.p99 <= P99_TARGET_MS && errors === 0;
    console.log(`bench: product pages over ${products.toLocaleString("en-US")} products: p99 ${ms(summary.p99)} at ${options.rate}/s ${met ? "meets" : "misses"} the target (≤ ${P99_TARGET_MS} ms, no errors)`);
    const path = await writeReport(ROOT, "pages", {
      bench: { mode: "pages", url, products, rate: options.rate, seconds, bun: Bun.version, startedAt: new Date().toISOString() },
      pages: { seedSeconds, errors, latencyMs: summary, bytesPerPage: bytes / Math.max(summary.count, 1) },
      target: { p99Ms: P99_TARGET_MS, met },
    }, options.report);
    console.log(`bench: every figure is in ${path}`);
  } catch (error) {
    console.error(`bench: pages stopped: ${(error as Error).message}`);
    exitCode = 1;
  }
  if (shop && (await shop.stop()) !== 0) {
    console.error("bench: its own shop did not stop cleanly");
    exitCode = 1;
  }
  return exitCode;
}
