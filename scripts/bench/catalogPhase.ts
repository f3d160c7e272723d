import { join } from "node:path";
import { fillCatalog } from "../catalog/fill.ts";
import { syntheticProduct } from "../catalog/synthetic.ts";
import type { Options } from "./args.ts";
import { Histogram, type LatencySummary } from "./latency.ts";
import { openLoop, WARM_UP_SECONDS } from "./openLoop.ts";
import { writeReport } from "./report.ts";
import type { BenchShop } from "./shop.ts";

const ROOT = join(import.meta.dir, "..", "..");
const SEED = 1;
const ms = (x: number) => (Number.isNaN(x) ? "-" : `${x < 10 ? x.toFixed(1) : Math.round(x)}ms`);
const P99_TARGET_MS = 50;
const RSS_TARGET_MB = 150;

/** What shoppers ask of GET /api/products, in the shares a storefront sees them. */
type Kind = "typing" | "typo" | "whole name" | "browse" | "next page";
const PLAN: [Kind, number][] = [["typing", 35], ["typo", 10], ["whole name", 10], ["browse", 25], ["next page", 20]];

/** A word of `name` of at least 4 letters, with two letters swapped: what a hurried shopper types. */
function typo(word: string, at: number): string {
  const i = 1 + (at % (word.length - 2));
  return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
}

/** One request of `kind` for product `index` of the catalog, as a query string. */
function query(kind: Kind, index: number, cursors: readonly string[]): string {
  const name = syntheticProduct(SEED, index).name;
  const words = name.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 4 && !/^\d+$/.test(w));
  const word = words[index % words.length] ?? "tea";
  switch (kind) {
    // What the search box sends as one types: the first word whole, the next cut short.
    case "typing": return `q=${encodeURIComponent(`${words[0] ?? word} ${word.slice(0, 3 + (index % (word.length - 2)))}`)}`;
    case "typo": return `q=${encodeURIComponent(typo(word, index))}`;
    case "whole name": return `q=${encodeURIComponent(name)}`;
    case "browse": return `sort=${["newest", "name", "price_asc", "price_desc"][index % 4]}`;
    case "next page": return cursors.length > 0 ? `sort=name&cursor=${cursors[index % cursors.length]}` : "sort=name";
  }
}

export type CatalogResult = {
  products: number;
  seedSeconds: number;
  idleRssMb: number;
  kinds: Record<Kind, { errors: number; latencyMs: LatencySummary }>;
  all: { errors: number; latencyMs: LatencySummary };
};

async function rssMb(url: string): Promise<number> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const line = metrics.split("\n").find((l) => l.startsWith("process_resident_memory_bytes "));
  return line ? Number(line.split(" ")[1]) / 1024 / 1024 : NaN;
}

/**
 * `--mode catalog`: makes `--products` synthetic products (default 100,000), reads the idle shop's
 * resident memory, then, after WARM_UP_SECONDS of the same load unmeasured, sends `--rate` catalog requests a second (default 200)
 * for `--duration` seconds, open loop, as shoppers would: typing, typos, whole names, browsing in
 * each sort, next pages. Issue 21's targets: search p99 ≤ 50 ms, idle RSS ≤ 150 MB.
 */
export async function benchCatalog({ url, databaseUrl, options, shop }: { url: string; databaseUrl: string; options: Options; shop?: BenchShop }): Promise<number> {
  const seconds = options.duration ?? 20;
  const products = options.products;
  let exitCode = 0;
  try {
    const seedSeconds = await fillCatalog(databaseUrl, products, SEED, console.log);
    // Idle: what the shop holds with the catalog made and nobody asking.
    await Bun.sleep(5_000);
    Bun.gc?.(true);
    const idleRssMb = await rssMb(url);
    console.log(`bench: catalog: ${products.toLocaleString("en-US")} products in ${seedSeconds.toFixed(0)} s; idle RSS ${idleRssMb.toFixed(0)} MB; ${options.rate} requests/s for ${seconds} s`);

    const histograms = new Map<Kind, Histogram>(PLAN.map(([k]) => [k, new Histogram()]));
    const errors = new Map<Kind, number>(PLAN.map(([k]) => [k, 0]));
    const every = new Histogram();
    const kinds = PLAN.flatMap(([kind, share]) => Array<Kind>(share).fill(kind));
    const cursors: string[] = [];
    const ask = (measured: boolean) => async (_: number, due: number) => {
      const kind = kinds[Math.floor(Math.random() * kinds.length)]!;
      const index = Math.floor(Math.random() * products);
      try {
        const response = await fetch(`${url}/api/products?${query(kind, index, cursors)}`, { signal: AbortSignal.timeout(10_000) });
        const body = (await response.json()) as { nextCursor?: string | null };
        if (!response.ok) throw new Error(String(response.status));
        if (kind === "browse" && body.nextCursor && cursors.length < 500 && index % 4 === 1) cursors.push(body.nextCursor);
        if (!measured) return;
        const took = performance.now() - due;
        histograms.get(kind)!.record(took);
        every.record(took);
      } catch {
        if (measured) errors.set(kind, errors.get(kind)! + 1);
      }
    };
    await openLoop(options.rate, WARM_UP_SECONDS, ask(false));
    await openLoop(options.rate, seconds, ask(true));
    const result: CatalogResult = {
      products, seedSeconds, idleRssMb,
      kinds: Object.fromEntries(PLAN.map(([k]) => [k, { errors: errors.get(k)!, latencyMs: histograms.get(k)!.summary() }])) as CatalogResult["kinds"],
      all: { errors: [...errors.values()].reduce((a, b) => a + b, 0), latencyMs: every.summary() },
    };
    console.log("\nkind        requests  errors   p50     p95     p99     max");
    for (const [kind, r] of [...Object.entries(result.kinds), ["all", result.all] as const]) {
      console.log(`${kind.padEnd(11)} ${String(r.latencyMs.count).padStart(8)} ${String(r.errors).padStart(7)}   ${ms(r.latencyMs.p50).padEnd(7)} ${ms(r.latencyMs.p95).padEnd(7)} ${ms(r.latencyMs.p99).padEnd(7)} ${ms(r.latencyMs.max)}`);
    }
    const searches = ["typing", "typo", "whole name"] as const;
    const searchP99 = Math.max(...searches.map((k) => result.kinds[k].latencyMs.p99));
    const met = { search: searchP99 <= P99_TARGET_MS && result.all.errors === 0, rss: idleRssMb <= RSS_TARGET_MB };
    console.log(`\nbench: catalog of ${products.toLocaleString("en-US")}: search p99 ${ms(searchP99)} at ${options.rate}/s ${met.search ? "meets" : "misses"} the target (≤ ${P99_TARGET_MS} ms, no errors); idle RSS ${idleRssMb.toFixed(0)} MB ${met.rss ? "meets" : "misses"} ≤ ${RSS_TARGET_MB} MB`);
    const path = await writeReport(ROOT, "catalog", {
      bench: { mode: "catalog", url, products, rate: options.rate, seconds, bun: Bun.version, startedAt: new Date().toISOString() },
      catalog: result,
      target: { searchP99Ms: P99_TARGET_MS, idleRssMb: RSS_TARGET_MB, met },
    }, options.report);
    console.log(`bench: every figure is in ${path}`);
  } catch (error) {
    console.error(`bench: catalog stopped: ${(error as Error).message}`);
    exitCode = 1;
  }
  if (shop && (await shop.stop()) !== 0) {
    console.error("bench: its own shop did not stop cleanly");
    exitCode = 1;
  }
  return exitCode;
}
