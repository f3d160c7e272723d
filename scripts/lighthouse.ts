// `bun run lighthouse`: Lighthouse's four scores, LCP, TBT, CLS and bytes for the storefront's
// pages (home, search results, a product, an order) on a phone, against the shop's own build with
// 100,000 synthetic products (--products N to change it), on Debian's Chromium. The reports are
// kept in .artifacts/lighthouse/<time>/, a summary printed and written beside them.
import { existsSync, mkdirSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fillCatalog } from "./catalog/fill.ts";
import { startBenchShop } from "./bench/shop.ts";
import { infraDir } from "./infra/state.ts";
import { lastLines, run } from "./infra/run.ts";
import { ownNamespace } from "./namespace.ts";

/** 12.2.3 is the last Lighthouse that runs on Node 20; newer ones need Node 22. */
const VERSION = "12.2.3";
const ROOT = join(import.meta.dir, "..");
const home = join(infraDir, "lighthouse", VERSION);
const cli = join(home, "node_modules", "lighthouse", "cli", "index.js");
const CHROMIUM = process.env.CHROME_PATH ?? "/usr/bin/chromium";
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;

const { values } = parseArgs({ options: { products: { type: "string", default: "100000" } } });
const products = Number(values.products);

/** Lighthouse from npm into .infra/lighthouse/<version>/, once per machine; never a browser. */
async function ensureLighthouse() {
  if (existsSync(cli)) return;
  console.log(`lighthouse: installing ${VERSION} with npm into ${home}`);
  const partial = `${home}.partial`;
  await rm(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const installed = await run(["npm", "install", "--prefix", partial, "--no-audit", "--no-fund", "--ignore-scripts", `lighthouse@${VERSION}`], { timeoutMs: 300_000 });
  if (installed.code !== 0) throw new Error(`npm install lighthouse@${VERSION} failed:\n${lastLines(installed.stdout + installed.stderr)}`);
  await rm(home, { recursive: true, force: true });
  await rename(partial, home);
}

/** A session of its own places an order, so that the order page has one to show: its cookie goes to Lighthouse. */
async function placeOrder(url: string): Promise<{ path: string; cookie: string }> {
  const first = await fetch(`${url}/`);
  const cookie = first.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error("the storefront set no session cookie");
  const { items } = await (await fetch(`${url}/api/products?sort=newest&limit=100`)).json() as { items: { id: string; stock: number }[] };
  const product = items.find((p) => p.stock > 0);
  if (!product) throw new Error("none of the 100 newest products is in stock");
  const placed = await fetch(`${url}/api/orders`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({
      customer: { name: "Ada Lovelace", email: "ada@example.com" },
      shippingAddress: { name: "Ada Lovelace", line1: "12 St James's Square", city: "London", postalCode: "SW1Y 4JH", country: "GB" },
      items: [{ productId: product.id, quantity: 1 }],
    }),
  });
  if (placed.status !== 202) throw new Error(`placing the order answered ${placed.status}: ${await placed.text()}`);
  const { id } = await placed.json() as { id: string };
  for (const until = Date.now() + 30_000; Date.now() < until; await Bun.sleep(200)) {
    const order = await (await fetch(`${url}/api/orders/${id}`, { headers: { cookie } })).json() as { status?: string; reason?: string };
    if (order.status === "confirmed") return { path: `/orders/${id}`, cookie };
    if (order.status === "rejected") throw new Error(`order ${id} was rejected: ${order.reason}`);
  }
  throw new Error(`order ${id} was not confirmed within 30 s`);
}

type Report = {
  categories: Record<(typeof CATEGORIES)[number], { score: number | null }>;
  audits: Record<string, { score: number | null; numericValue?: number; title: string; scoreDisplayMode: string }>;
};

async function audit(url: string, name: string, dir: string, headers: Record<string, string>): Promise<Report> {
  const out = join(dir, name);
  const done = await run(["node", cli, url,
    "--quiet", "--output=json", "--output=html", `--output-path=${out}`,
    `--only-categories=${CATEGORIES.join(",")}`,
    "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking",
    `--extra-headers=${JSON.stringify(headers)}`,
  ], { env: { CHROME_PATH: CHROMIUM }, timeoutMs: 180_000 });
  if (done.code !== 0) throw new Error(`lighthouse on ${url} failed:\n${lastLines(done.stdout + done.stderr)}`);
  return Bun.file(`${out}.report.json`).json();
}

const score = (report: Report, category: (typeof CATEGORIES)[number]) => Math.round((report.categories[category].score ?? 0) * 100);
const value = (report: Report, id: string) => report.audits[id]?.numericValue ?? NaN;

await ensureLighthouse();
const dir = join(ROOT, ".artifacts", "lighthouse", new Date().toISOString().replace(/[:.]/g, "-"));
mkdirSync(dir, { recursive: true });
const namespace = await ownNamespace("lighthouse", process.env, { fresh: true });
const shop = await startBenchShop(ROOT, join(ROOT, "dist", "shop"), namespace);
try {
  console.log(`lighthouse: filling ${products.toLocaleString("en-US")} synthetic products`);
  await fillCatalog(namespace.DATABASE_URL, products, 1, console.log);
  const order = await placeOrder(shop.url);
  const { items } = await (await fetch(`${shop.url}/api/products?q=assam&limit=1`)).json() as { items: { slug: string }[] };
  const pages: [string, string, Record<string, string>][] = [
    ["home", "/", {}],
    ["search", "/?q=assam", {}],
    ["product", `/products/${items[0]!.slug}`, {}],
    ["order", order.path, { cookie: order.cookie }],
  ];
  const rows: string[] = [];
  const summary: Record<string, unknown> = {};
  for (const [name, path, headers] of pages) {
    const report = await audit(shop.url + path, name, dir, headers);
    const scores = Object.fromEntries(CATEGORIES.map((c) => [c, score(report, c)]));
    const metrics = { lcpMs: value(report, "largest-contentful-paint"), tbtMs: value(report, "total-blocking-time"), cls: value(report, "cumulative-layout-shift"), bytes: value(report, "total-byte-weight") };
    // What kept a score from 100, so that the next change knows where to look.
    const missed = Object.entries(report.audits)
      .filter(([, a]) => a.score !== null && a.score < 1 && ["binary", "numeric", "metricSavings"].includes(a.scoreDisplayMode))
      .map(([id]) => id);
    summary[name] = { path, scores, ...metrics, missed };
    rows.push(`| ${name} | ${CATEGORIES.map((c) => scores[c]).join(" | ")} | ${Math.round(metrics.lcpMs)} ms | ${Math.round(metrics.tbtMs)} ms | ${metrics.cls.toFixed(3)} | ${(metrics.bytes / 1024).toFixed(0)} KB |`);
    console.log(`lighthouse: ${name} (${path}): ${CATEGORIES.map((c) => `${c} ${scores[c]}`).join(", ")}${missed.length ? `; below 1: ${missed.join(", ")}` : ""}`);
  }
  const table = [
    `Lighthouse ${VERSION}, mobile, ${products.toLocaleString("en-US")} products, ${CHROMIUM}`,
    "",
    "| page | Performance | Accessibility | Best Practices | SEO | LCP | TBT | CLS | bytes |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
  await Bun.write(join(dir, "summary.md"), `${table}\n`);
  await Bun.write(join(dir, "summary.json"), JSON.stringify(summary, null, 2));
  console.log(`\n${table}\n\nreports in ${dir}`);
} finally {
  await shop.stop();
}
