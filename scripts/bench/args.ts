import { parseArgs } from "node:util";
import { DEFAULT_DATABASE_URL, DEFAULT_KAFKA_BROKERS } from "../../src/config.ts";
import { ORDER_WARM_UP_SECONDS } from "./openLoop.ts";

export type Mode = "all" | "open" | "max" | "products" | "search" | "catalog" | "pages";

export type Options = {
  mode: Mode;
  /** A running shop to drive; without it the bench starts its own, in a namespace of its own. */
  url?: string;
  /** The topic prefix of the shop at `url` (KAFKA_TOPIC_PREFIX), whose outcomes the bench reads. */
  topicPrefix: string;
  brokers: string[];
  databaseUrl: string;
  rate: number;
  /** Seconds of offered load; undefined means each phase's own default. */
  duration?: number;
  concurrency: number;
  /**
   * Orders on the wire at once, at most, each on a connection of its own; those due beyond it wait
   * their turn in the bench (their latency counting from when they were due), as behind a proxy
   * that keeps a bounded pool of connections to the shop. Unbounded unless told.
   */
  connections: number;
  /** open: seconds of orders at the rate to be measured, sent first and not measured. */
  warmUp: number;
  /** Seconds of the final run at the best rate in max mode. */
  maxDuration: number;
  /** Seconds to wait after the offered load for the last confirmations. */
  drain: number;
  smoke: boolean;
  /** A git ref to compare with: both builds run turn about, `alternations` times each. */
  against?: string;
  alternations: number;
  /** The shop binary the bench starts (dist/shop unless told). */
  shop?: string;
  /** The bench's own shop mails its customers, through a Mailpit of the bench's own. */
  mail: boolean;
  /** The bench's own shop sends its traces, at the default sampling, to this OTLP/HTTP collector. */
  tracing?: string;
  /** Where the JSON report goes (a file under .artifacts/bench/ unless told). */
  report?: string;
  /** search: how many orders the admin's search runs over. */
  orders: number;
  /** catalog: how many products the shop's catalog is filled with first. */
  products: number;
};

export const USAGE = `bun run bench [options]: drives a shop with orders and catalog reads and reports throughput and latency

  --mode all|open|max|products|search|catalog|pages
                                 all (default): products, then open at 500/s, then max; search: makes
                                 --orders orders in the bench's database, then drives the admin's order
                                 search at --rate searches a second (default 100) for --duration (default 20);
                                 catalog: makes --products synthetic products in its database, reads the idle
                                 shop's memory, then drives GET /api/products (typing, typos, whole names,
                                 browsing, next pages) at --rate a second (default 200) for --duration (20);
                                 pages: makes --products synthetic products, then asks for server-rendered
                                 product pages at --rate a second (default 200) for --duration (20)
  --orders N                     search: orders to make first (default 1000000)
  --products N                   catalog and pages: products to make first (default 100000)
  --url URL                      drive this running shop (loopback only); without it the bench starts
                                 dist/shop itself in a namespace of its own (database shop_bench,
                                 topics and groups prefixed "bench."), so no other shop is touched
  --rate N                       open: orders per second (default 500)
  --duration S                   open and products: seconds of load (default 30 and 10)
  --concurrency C                products: requests in flight (default 64)
  --warm-up S                    open: seconds of orders at --rate sent first, unmeasured (default 20): a shop
                                 just started spends 15-25 % of a core compiling its own code for that long
  --connections N                open and max: orders on the wire at once, at most (default: no bound); those
                                 due beyond it wait in the bench, as behind a proxy with a bounded pool of
                                 connections to the shop; without it, a shop that falls behind is sent a new
                                 connection for each order it has not answered, up to 4,096
  --max-duration S               max: seconds of the final run at the best rate (default 60)
  --drain S                      seconds to wait for the last confirmations (default 15)
  --smoke                        a few seconds: products 2 s, open 50/s for 3 s; fails if nothing is confirmed
  --against REF                  before/after: builds the git ref REF in a worktree (.artifacts/bench/worktrees)
                                 and this checkout, runs the same bench on each turn about, each run on an
                                 emptied database, and prints both side by side
  --alternations N               with --against: runs of each build (default 3)
  --shop PATH                    the shop binary to start instead of dist/shop
  --mail                         the bench's own shop mails its customers (SMTP_URL) through a Mailpit of the
                                 bench's own; the report adds the mails sent and their latency from the event
  --tracing                      the bench's own shop traces at its default sampling (OTEL_TRACES_SAMPLER_ARG
                                 0.01) into the Jaeger of \`bun run infra:up -- --tracing\` (JAEGER_OTLP_URL,
                                 default http://127.0.0.1:4318)
  --report PATH                  write the JSON report here
  -h, --help                     this text

Environment: KAFKA_BROKERS (default 127.0.0.1:9092); DATABASE_URL (raises the stock before ordering)
and KAFKA_TOPIC_PREFIX: with --url, those of the shop at that URL; without, the server the bench's own
database is made on.
Writes every figure to .artifacts/bench/<timestamp>-<mode>.json.`;

/** The bench sends load, so it refuses any target that is not this machine. */
function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not ${JSON.stringify(raw)}`);
  return n;
}

/** Parses the command line and environment; a bad value throws with a message naming it. */
export function parseOptions(argv: string[], env: Record<string, string | undefined>): Options | "help" {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      mode: { type: "string", default: "all" },
      url: { type: "string" },
      rate: { type: "string" },
      duration: { type: "string" },
      concurrency: { type: "string" },
      connections: { type: "string" },
      "warm-up": { type: "string" },
      "max-duration": { type: "string" },
      drain: { type: "string" },
      smoke: { type: "boolean", default: false },
      against: { type: "string" },
      alternations: { type: "string" },
      shop: { type: "string" },
      mail: { type: "boolean", default: false },
      tracing: { type: "boolean", default: false },
      report: { type: "string" },
      orders: { type: "string" },
      products: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return "help";

  const mode = values.mode as Mode;
  if (!["all", "open", "max", "products", "search", "catalog", "pages"].includes(mode)) throw new Error(`--mode must be all, open, max, products, search, catalog or pages, not ${JSON.stringify(values.mode)}`);

  const url = values.url === undefined ? undefined : new URL(values.url).origin;
  if (values.against !== undefined && url !== undefined) throw new Error("--against runs both builds itself: leave out --url");
  if (values.shop !== undefined && url !== undefined) throw new Error("--shop is the binary the bench starts: leave out --url");
  if (values.mail && !["all", "open", "max"].includes(mode)) throw new Error("--mail goes with the modes that place orders: all, open, max");
  if (values.mail && url !== undefined) throw new Error("--mail gives the bench's own shop a Mailpit: leave out --url (a shop of yours mails when you set its SMTP_URL)");
  if (values.tracing && url !== undefined) throw new Error("--tracing sets the bench's own shop's OTEL_* settings: leave out --url (a shop of yours traces when you set its OTEL_EXPORTER_OTLP_ENDPOINT)");
  const brokers = (env.KAFKA_BROKERS ?? DEFAULT_KAFKA_BROKERS).split(",").map((b) => b.trim()).filter(Boolean);
  const databaseUrl = env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const targets = [...(url ? [new URL(url).hostname] : []), ...brokers.map((b) => b.slice(0, b.lastIndexOf(":"))), new URL(databaseUrl).hostname];
  const remote = targets.find((h) => !isLoopback(h));
  if (remote !== undefined) throw new Error(`every target must be on this machine (127.0.0.1, localhost, ::1), not ${remote}`);

  return {
    mode,
    url,
    topicPrefix: env.KAFKA_TOPIC_PREFIX ?? "",
    brokers,
    databaseUrl,
    rate: positive("rate", values.rate, mode === "search" ? 100 : mode === "catalog" || mode === "pages" ? 200 : 500),
    orders: Math.round(positive("orders", values.orders, 1_000_000)),
    products: Math.round(positive("products", values.products, 100_000)),
    duration: values.duration === undefined ? undefined : positive("duration", values.duration, 0),
    concurrency: Math.round(positive("concurrency", values.concurrency, 64)),
    connections: values.connections === undefined ? Infinity : Math.round(positive("connections", values.connections, 0)),
    warmUp: positive("warm-up", values["warm-up"], ORDER_WARM_UP_SECONDS),
    maxDuration: positive("max-duration", values["max-duration"], 60),
    drain: positive("drain", values.drain, 15),
    smoke: values.smoke!,
    against: values.against,
    alternations: Math.round(positive("alternations", values.alternations, 3)),
    shop: values.shop,
    mail: values.mail!,
    tracing: values.tracing ? env.JAEGER_OTLP_URL ?? "http://127.0.0.1:4318" : undefined,
    report: values.report,
  };
}
