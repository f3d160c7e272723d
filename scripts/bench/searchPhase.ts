import { join } from "node:path";
import type { Options } from "./args.ts";
import { loadCatalog } from "./catalog.ts";
import { writeReport } from "./report.ts";
import { fillOrders, searchLoad } from "./search.ts";
import type { BenchShop } from "./shop.ts";

const ROOT = join(import.meta.dir, "..", "..");
const ms = (x: number) => (Number.isNaN(x) ? "-" : `${x < 10 ? x.toFixed(1) : Math.round(x)}ms`);

/**
 * `--mode search`: the admin's order search over `--orders` orders, as the operations page sends it,
 * open loop. Prints p50/p95/p99 by kind of search and all together, against issue 20's target.
 */
export async function benchSearch({ url, databaseUrl, adminToken, options, shop }: { url: string; databaseUrl: string; adminToken: string; options: Options; shop?: BenchShop }): Promise<number> {
  const seconds = options.duration ?? 20;
  let exitCode = 0;
  try {
    if ((await fetch(`${url}/api/admin/orders?limit=1`, { headers: { authorization: `Bearer ${adminToken}` } })).status !== 200) {
      throw new Error("the shop refuses the admin token (with --url, set ADMIN_TOKEN to the shop's)");
    }
    const fillSeconds = await fillOrders(databaseUrl, options.orders, await loadCatalog(url), console.log);
    console.log(`bench: search: ${options.orders.toLocaleString("en-US")} orders made in ${fillSeconds.toFixed(0)} s; searching at ${options.rate}/s for ${seconds} s`);
    const result = await searchLoad({ url, adminToken, databaseUrl, rate: options.rate, seconds });
    const rows = [...Object.entries(result.kinds), ["all", result.all] as const];
    console.log("\nkind        searches  errors   p50     p95     p99     max");
    for (const [kind, r] of rows) {
      console.log(`${kind.padEnd(11)} ${String(r.latencyMs.count).padStart(8)} ${String(r.errors).padStart(7)}   ${ms(r.latencyMs.p50).padEnd(7)} ${ms(r.latencyMs.p95).padEnd(7)} ${ms(r.latencyMs.p99).padEnd(7)} ${ms(r.latencyMs.max)}`);
    }
    const met = result.all.latencyMs.p99 <= 100 && result.all.errors === 0;
    console.log(`\nbench: search p99 ${ms(result.all.latencyMs.p99)} over ${options.orders.toLocaleString("en-US")} orders at ${options.rate}/s: ${met ? "meets" : "misses"} the target (p99 ≤ 100 ms, no errors)`);
    const path = await writeReport(ROOT, "search", {
      bench: { mode: "search", url, orders: options.orders, fillSeconds, rate: options.rate, seconds, bun: Bun.version, startedAt: new Date().toISOString() },
      search: result,
      target: { p99Ms: 100, met },
    }, options.report);
    console.log(`bench: every figure is in ${path}`);
  } catch (error) {
    console.error(`bench: search stopped: ${(error as Error).message}`);
    exitCode = 1;
  }
  if (shop && (await shop.stop()) !== 0) {
    console.error("bench: its own shop did not stop cleanly");
    exitCode = 1;
  }
  return exitCode;
}
