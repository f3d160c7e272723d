/**
 * `bun run bench`: drives a shop with orders and catalog reads, and reports throughput,
 * POST→OrderConfirmed latency, errors, and what the binary, Kafka, PostgreSQL and the bench itself
 * spent (issue 5). Without --url it runs dist/shop itself in the namespace "bench", so a user's shop
 * and a test run on the same servers are never touched; see `--help`, and scripts/bench/ for the parts.
 * `--against REF` compares: it builds REF and this checkout and runs this bench on each, turn about.
 */
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { compare } from "./bench/against.ts";
import { parseOptions, USAGE, type Options } from "./bench/args.ts";
import { loadCatalog, openSessions, rateLimitsOff } from "./bench/catalog.ts";
import { BENCH_STOCK, raiseStock, restoreStock, type StockBefore } from "./bench/database.ts";
import { MAX_IN_FLIGHT, openLoop, productsLoop, type OpenResult, type OpenRun, type ProductsRun } from "./bench/load.ts";
import { findMaxRate } from "./bench/max.ts";
import { Monitor } from "./bench/monitor.ts";
import { scrapeShop } from "./bench/metrics.ts";
import { watchOutcomes, type OutcomeWatcher } from "./bench/outcomes.ts";
import { namespace } from "../src/kafka/topics.ts";
import { startBenchShop, type BenchShop } from "./bench/shop.ts";
import { mailFigures, skipEarlierRunsMail, startBenchMailpit, type BenchMailpit, type MailFigures } from "./bench/mail.ts";
import { benchSearch } from "./bench/searchPhase.ts";
import { benchCatalog } from "./bench/catalogPhase.ts";
import { benchPages } from "./bench/pagesPhase.ts";
import { ownNamespace } from "./namespace.ts";
import { progressLine, summary, targets, writeReport, type Measured, type Phase } from "./bench/report.ts";

// Bun's fetch sends at most 256 requests at once and queues the rest, which would quietly turn the
// open loop into a closed one under load. The limit is read only when Bun starts, so run again with it raised.
if (process.env.BUN_CONFIG_MAX_HTTP_REQUESTS === undefined) {
  const child = Bun.spawn([process.execPath, ...process.argv.slice(1)], {
    env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: String(MAX_IN_FLIGHT) },
    stdio: ["inherit", "inherit", "inherit"],
  });
  process.exit(await child.exited);
}

const ROOT = join(import.meta.dir, "..");
/** After a step of max mode, how long the shop may take to work off its consumer lag before the next. */
const SETTLE_TIMEOUT_MS = 60_000;

let options: Options;
try {
  const parsed = parseOptions(process.argv.slice(2), process.env);
  if (parsed === "help") {
    console.log(USAGE);
    process.exit(0);
  }
  options = parsed;
} catch (error) {
  console.error(`bench: ${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}

if (options.against !== undefined) {
  try {
    await compare(ROOT, options.against, options);
    process.exit(0);
  } catch (error) {
    console.error(`bench: --against ${options.against}: ${(error as Error).message}`);
    process.exit(1);
  }
}

const { mode, smoke } = options;
/** The bench's own shop's admin token; a shop at --url is searched with the ADMIN_TOKEN of the environment. */
const adminToken = options.url ? process.env.ADMIN_TOKEN ?? "" : `bench-${crypto.randomUUID()}`;
let url: string;
let ownShop: BenchShop | undefined;
let mailpit: BenchMailpit | undefined;
if (options.url) {
  url = options.url;
  const answers = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
  if (!answers) {
    console.error(`bench: no shop answers at ${url}/healthz (start one, or leave out --url and the bench starts its own)`);
    process.exit(1);
  }
  // All the bench's load comes from one address: against a shop that limits rates it would measure the limiter.
  if (!(await rateLimitsOff(url).catch(() => false))) {
    console.error(`bench: the shop at ${url} limits rates per client; start it with RATE_LIMITS=off, or leave out --url and the bench starts its own`);
    process.exit(1);
  }
} else {
  try {
    const own = await ownNamespace("bench", process.env, { fresh: true });
    options = { ...options, databaseUrl: own.DATABASE_URL, topicPrefix: own.KAFKA_TOPIC_PREFIX };
    if (options.mail) {
      await skipEarlierRunsMail(options.brokers, namespace(own.KAFKA_TOPIC_PREFIX));
      mailpit = await startBenchMailpit(ROOT);
    }
    if (options.tracing && !(await fetch(`${options.tracing}/v1/traces`, { method: "POST", signal: AbortSignal.timeout(2_000) }).then(() => true, () => false))) {
      throw new Error(`--tracing: no OTLP collector answers at ${options.tracing} (bun run infra:up -- --tracing starts Jaeger)`);
    }
    ownShop = await startBenchShop(ROOT, options.shop ?? join(ROOT, "dist", "shop"), {
      ...own, ADMIN_TOKEN: adminToken, ...(mailpit ? { SMTP_URL: mailpit.smtpUrl } : {}),
      // The shop's default sampling: what the bench measures is the cost of tracing as it ships.
      ...(options.tracing ? { OTEL_EXPORTER_OTLP_ENDPOINT: options.tracing, OTEL_SERVICE_NAME: "shop-bench" } : {}),
    });
    url = ownShop.url;
  } catch (error) {
    console.error(`bench: cannot start its own shop: ${(error as Error).message}`);
    await mailpit?.stop();
    process.exit(1);
  }
}

if (mode === "search") process.exit(await benchSearch({ url, databaseUrl: options.databaseUrl, adminToken, options, shop: ownShop }));
if (mode === "catalog") process.exit(await benchCatalog({ url, databaseUrl: options.databaseUrl, options, shop: ownShop }));
if (mode === "pages") process.exit(await benchPages({ url, databaseUrl: options.databaseUrl, options, shop: ownShop }));

const plan = smoke
  ? { products: { concurrency: 8, seconds: 2 }, open: { rate: 50, seconds: 3 }, max: undefined }
  : {
    products: mode === "all" || mode === "products" ? { concurrency: options.concurrency, seconds: options.duration ?? 10 } : undefined,
    open: mode === "all" || mode === "open" ? { rate: options.rate, seconds: options.duration ?? 30 } : undefined,
    max: mode === "all" || mode === "max" ? { seconds: options.maxDuration } : undefined,
  };
const orders = plan.open !== undefined || plan.max !== undefined;
const loadAtStart = loadavg();
console.log(`bench: driving ${ownShop ? "its own shop" : "the running shop"} at ${url} (${smoke ? "smoke" : mode}); load average ${loadAtStart.map((x) => x.toFixed(2)).join(" ")} on ${cpus().length} cores`);

const monitor = new Monitor(url, options.databaseUrl, orders ? options.brokers : undefined, namespace(options.topicPrefix));
let catalog: string[];
let postgresSettings: Record<string, string>;
let stockBefore: StockBefore = [];
try {
  catalog = await loadCatalog(url);
  await openSessions(url);
  if (orders) {
    stockBefore = await raiseStock(options.databaseUrl, catalog);
    console.log(`bench: raised the stock of ${stockBefore.length} products to ${BENCH_STOCK.toLocaleString("en-US")} so that no order is rejected for stock (given back at the end)`);
  }
  postgresSettings = await monitor.start();
} catch (error) {
  console.error(`bench: cannot start: ${(error as Error).message}`);
  await ownShop?.stop();
  process.exit(1);
}
let outcomes: OutcomeWatcher | undefined;
let current: { run: OpenRun | ProductsRun; label: string } | undefined;
const progress = setInterval(() => { if (current) console.log(progressLine(current.run, current.label, monitor.latest)); }, 1_000);
const phases: Phase[] = [];
const runId = `bench-${crypto.randomUUID().slice(0, 8)}`;
let runs = 0;

/** Runs one load with the progress line on, then sums up the machine over the seconds it offered load. */
async function measured<T extends { seconds: number; offeredForS?: number }>(label: string, load: (onRun: (run: OpenRun | ProductsRun) => void) => Promise<T>): Promise<Measured<T>> {
  const load1 = loadavg();
  console.log(`bench: ${label}: load average at start ${load1.map((x) => x.toFixed(2)).join(" ")}`);
  const from = monitor.now;
  const result = await load((run) => { current = { run, label }; });
  current = undefined;
  const to = from + (result.offeredForS ?? result.seconds);
  await monitor.sampled(to);
  return { ...result, label, window: monitor.window(from, to, load1) };
}

const runOpen = (label: string, rate: number, seconds: number, drain: number, abandonAt?: number): Promise<Measured<OpenResult>> =>
  measured(label, async (onRun) => {
    const before = await shopCpuSeconds();
    const result = await openLoop({ url, rate, seconds, drainSeconds: drain, catalog, outcomes: outcomes!, runId: `${runId}-${++runs}`, onRun, abandonAt, connections: options.connections });
    const after = await shopCpuSeconds();
    return before === undefined || after === undefined || result.confirmed === 0 ? result : { ...result, shopCpuMsPerOrder: Math.round(((after - before) * 1e6) / result.confirmed) / 1000 };
  });

/** The shop's CPU seconds so far, if its /metrics answers: read when no load is offered, it does within a few tries. */
async function shopCpuSeconds(): Promise<number | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const shop = await scrapeShop(url).catch(() => undefined);
    if (shop && Number.isFinite(shop.cpuSeconds)) return shop.cpuSeconds;
  }
  return undefined;
}

/**
 * Orders at the rate to be measured, for `--warm-up` seconds, unmeasured; then the backlog is worked
 * off. A shop that has just started spends a good part of its CPU compiling its own code (Bun's JIT
 * threads; see ORDER_WARM_UP_SECONDS), more so the more code a setting runs, such as tracing:
 * measured cold, a comparison of two settings was one of how fast each warmed up.
 */
async function warmUp(rate: number): Promise<void> {
  console.log(`bench: warming the shop up: ${options.warmUp} s at ${rate}/s, unmeasured`);
  await openLoop({ url, rate, seconds: options.warmUp, drainSeconds: options.drain, catalog, outcomes: outcomes!, runId: `${runId}-warm-up`, onRun: () => {}, connections: options.connections });
  await settle();
}

/** Waits until the shop's consumers have caught up, so a run does not pay for the backlog of the one before. */
async function settle(): Promise<void> {
  const until = Date.now() + SETTLE_TIMEOUT_MS;
  const behind = () => (monitor.latest?.lag ? monitor.latest.lag.commands + monitor.latest.lag.placed : 0);
  if (behind() > 0) console.log(`bench: waiting for the shop to work off a consumer lag of ${behind()}`);
  while (behind() > 0 && Date.now() < until) await Bun.sleep(250);
}

let exitCode = 0;
/** With --mail: what the shop mailed, read before it stops. */
let mail: MailFigures | undefined;
try {
  if (plan.products) {
    const { concurrency, seconds } = plan.products;
    phases.push({ phase: "products", result: await measured(`products c=${concurrency}`, (onRun) => productsLoop({ url, concurrency, seconds, onRun })) });
  }
  if (orders) outcomes = await watchOutcomes(options.brokers, namespace(options.topicPrefix).topics);
  if (plan.open) {
    if (!smoke) await warmUp(plan.open.rate);
    phases.push({ phase: "open", result: await runOpen(`open ${plan.open.rate}/s`, plan.open.rate, plan.open.seconds, options.drain) });
  }
  if (plan.max) phases.push({ phase: "max", result: await findMaxRate(runOpen, plan.max.seconds, settle) });
} catch (error) {
  console.error(`bench: stopped: ${(error as Error).message}`);
  exitCode = 1;
} finally {
  clearInterval(progress);
  await outcomes?.stop();
  await monitor.stop();
  await restoreStock(options.databaseUrl, stockBefore);
  if (mailpit) {
    mail = await mailFigures(url, namespace(options.topicPrefix).groups.notifier, options.drain * 1000).catch(() => undefined);
    if (mail) console.log(`bench: mail: ${mail.sent} sent, ${mail.failed} failed; event to mail accepted: p50 ≤ ${mail.p50SecondsAtMost} s, p99 ≤ ${mail.p99SecondsAtMost} s`);
  }
  if (ownShop && (await ownShop.stop()) !== 0) {
    console.error("bench: its own shop did not stop cleanly");
    exitCode = 1;
  }
  await mailpit?.stop();
}

console.log(`\n${summary(url, phases, !smoke)}`);
const path = await writeReport(ROOT, smoke ? "smoke" : mode, {
  bench: {
    startedAt: new Date(Date.now() - monitor.now * 1000).toISOString(), url, mode, smoke, options: { ...options, databaseUrl: undefined },
    cores: cpus().length, loadAverageAtStart: loadAtStart, bun: Bun.version, postgres: postgresSettings,
    catalog, stockRaisedTo: orders ? BENCH_STOCK : undefined,
    latencyFrom: "the moment each order was due to be sent (open loop) to the moment its OrderConfirmed was read from orders.confirmed",
  },
  phases,
  mail,
  targets: smoke ? undefined : targets(phases),
  samples: monitor.samples,
}, options.report);
console.log(`\nbench: every figure is in ${path}`);

if (smoke && exitCode === 0) {
  const confirmed = phases.reduce((sum, p) => sum + (p.phase === "open" ? p.result.confirmed : 0), 0);
  if (confirmed === 0) {
    console.error("bench: smoke failed: no order was confirmed");
    exitCode = 1;
  }
}
process.exit(exitCode);
