import { parseArgs } from "node:util";
import * as v from "valibot";

const ROLE_NAMES = ["api", "worker", "notifier"] as const;
const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
const SASL_MECHANISMS = ["plain", "scram-sha-256", "scram-sha-512"] as const;

/** Also what the test suite and the bench reach for when DATABASE_URL or KAFKA_BROKERS is unset. */
export const DEFAULT_DATABASE_URL = "postgres://postgres:postgres@127.0.0.1:5432/shop";
export const DEFAULT_KAFKA_BROKERS = "127.0.0.1:9092";

/** A count setting: a whole number in 1..max. */
const count = (max: number) =>
  v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number), v.minValue(1), v.maxValue(max));

/**
 * A URL postgres.js can read, read as it does: the host list (`h1:5432,h2:5433`) cut to its first
 * host, then the WHATWG URL parser, then the user and password percent-decoded. Checked here so
 * that a bad one stops the start with a line naming DATABASE_URL, not the client's bare `Invalid URL`.
 */
function readablePostgresUrl(url: string): boolean {
  try {
    const authority = url.slice(url.indexOf("://") + 3).split(/[?/]/)[0]!;
    const hosts = decodeURIComponent(authority.slice(authority.indexOf("@") + 1));
    const parsed = new URL(url.replace(hosts, hosts.split(",")[0]!));
    decodeURIComponent(parsed.username);
    decodeURIComponent(parsed.password);
    return true;
  } catch {
    return false;
  }
}

const readableUrl = (url: string) => URL.canParse(url);

/** Each setting: its environment variable, its default, and the schema a value must pass. */
const settings = {
  PORT: {
    default: "8080",
    expects: "an integer port 1..65535",
    schema: v.pipe(v.string(), v.regex(/^\d{1,5}$/), v.transform(Number), v.integer(), v.minValue(1), v.maxValue(65535)),
  },
  DATABASE_URL: {
    default: DEFAULT_DATABASE_URL,
    expects: "a postgres:// or postgresql:// URL, reserved characters in its user and password percent-encoded",
    // It may hold a password.
    secret: true,
    schema: v.pipe(v.string(), v.regex(/^postgres(ql)?:\/\/[^\s]+$/), v.check(readablePostgresUrl)),
  },
  KAFKA_BROKERS: {
    default: DEFAULT_KAFKA_BROKERS,
    expects: "comma-separated host:port pairs",
    schema: v.pipe(
      v.string(),
      v.transform((s) => s.split(",").map((b) => b.trim())),
      v.array(v.pipe(v.string(), v.regex(/^[A-Za-z0-9.\-_\[\]:]+:\d{1,5}$/))),
      v.minLength(1),
    ),
  },
  ROLES: {
    default: "api,worker,notifier",
    expects: `a comma-separated subset of ${ROLE_NAMES.join(",")}`,
    schema: v.pipe(
      v.string(),
      v.transform((s) => [...new Set(s.split(",").map((r) => r.trim()))]),
      v.array(v.picklist(ROLE_NAMES)),
      v.minLength(1),
    ),
  },
  LOG_LEVEL: {
    default: "info",
    expects: `one of ${LOG_LEVELS.join(", ")}`,
    schema: v.picklist(LOG_LEVELS),
  },
  ADMIN_TOKEN: {
    default: undefined,
    expects: "at least 16 characters without spaces",
    secret: true,
    schema: v.optional(v.pipe(v.string(), v.regex(/^\S{16,}$/))),
  },
  KAFKA_TOPIC_PREFIX: {
    default: "",
    expects: "up to 100 of the characters Kafka allows in topic names: A-Z a-z 0-9 . _ -",
    schema: v.pipe(v.string(), v.regex(/^[A-Za-z0-9._-]{0,100}$/)),
  },
  KAFKA_PARTITIONS: {
    default: "6",
    expects: "an integer 1..1000 (partitions of topics this instance creates)",
    schema: v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.minValue(1), v.maxValue(1000)),
  },
  // The edge's limits (see src/http/limits/). Rates and caps are kept by each instance for itself.
  RATE_LIMITS: {
    default: "on",
    expects: "on or off (off: no rate limit and no per-client cap, for load tests)",
    schema: v.picklist(["on", "off"]),
  },
  SITEMAP_URLS_PER_FILE: {
    default: "50000",
    expects: "an integer 1..50000 (product URLs in each of the sitemap's files; 50,000 is the protocol's most)",
    schema: count(50_000),
  },
  TRUST_PROXY: {
    default: "false",
    expects: "true or false (true: the client address and scheme come from X-Forwarded-For and X-Forwarded-Proto)",
    schema: v.pipe(v.picklist(["true", "false"]), v.transform((s) => s === "true")),
  },
  ORDERS_PER_MINUTE_PER_SESSION: {
    default: "6",
    expects: "an integer 1..100000 (POST /api/orders per session, also the burst)",
    schema: count(100_000),
  },
  ORDERS_PER_MINUTE_PER_ADDRESS: {
    default: "30",
    expects: "an integer 1..100000 (POST /api/orders per client address, also the burst)",
    schema: count(100_000),
  },
  UNITS_PER_ORDER: {
    default: "20",
    expects: "an integer 1..4950 (the sum of the quantities of one order)",
    schema: count(4_950),
  },
  UNITS_PER_SESSION_PER_DAY: {
    default: "50",
    expects: "an integer 1..1000000 (units one session may order in 24 hours)",
    schema: count(1_000_000),
  },
  UNITS_PER_ADDRESS_PER_DAY: {
    default: "200",
    expects: "an integer 1..1000000 (units one client address may order in 24 hours)",
    schema: count(1_000_000),
  },
  STREAMS_PER_SESSION: {
    default: "10",
    expects: "an integer 1..100000 (open event streams of one session)",
    schema: count(100_000),
  },
  STREAMS_PER_ADDRESS: {
    default: "50",
    expects: "an integer 1..100000 (open event streams from one client address)",
    schema: count(100_000),
  },
  STREAMS_PER_INSTANCE: {
    default: "2000",
    expects: "an integer 1..100000 (open event streams of this instance, kept even with RATE_LIMITS=off)",
    schema: count(100_000),
  },
  SMTP_URL: {
    default: undefined,
    expects: "an smtp:// or smtps:// URL (smtps: TLS from the start), user and password percent-encoded; unset: no mail is sent",
    // It may hold a password.
    secret: true,
    schema: v.optional(v.pipe(v.string(), v.regex(/^smtps?:\/\/[^\s/?#]+\/?$/), v.check(readableUrl))),
  },
  SMTP_FROM: {
    default: "Shop <orders@shop.localhost>",
    expects: "the sender of the shop's mails: an address, or a name and <address>, on one line",
    schema: v.pipe(v.string(), v.regex(/^(?:[^\x00-\x1f<>"]{1,100} <[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/)),
  },
  // Unset, pages link to the address each request came to, and mails to http://localhost:<PORT>.
  SHOP_URL: {
    default: undefined,
    expects: "the http:// or https:// address customers reach the shop at, without a path (links in mails and pages)",
    schema: v.optional(v.pipe(v.string(), v.regex(/^https?:\/\/[^\s/?#]+\/?$/), v.check(readableUrl), v.transform((s) => s.replace(/\/$/, "")))),
  },
  KAFKA_REPLICATION_FACTOR: {
    default: undefined,
    expects: "an integer 1..32 (replicas of topics this instance creates; default min(3, brokers in the cluster))",
    schema: v.optional(v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number), v.minValue(1), v.maxValue(32))),
  },
  KAFKA_SSL: {
    default: "false",
    expects: "true or false (TLS to the brokers)",
    schema: v.pipe(v.picklist(["true", "false"]), v.transform((s) => s === "true")),
  },
  KAFKA_SASL_MECHANISM: {
    default: undefined,
    expects: `one of ${SASL_MECHANISMS.join(", ")}, with KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`,
    schema: v.optional(v.picklist(SASL_MECHANISMS)),
  },
  KAFKA_SASL_USERNAME: {
    default: undefined,
    expects: "a user name, with KAFKA_SASL_MECHANISM and KAFKA_SASL_PASSWORD",
    schema: v.optional(v.pipe(v.string(), v.minLength(1))),
  },
  KAFKA_SASL_PASSWORD: {
    default: undefined,
    expects: "a password, with KAFKA_SASL_MECHANISM and KAFKA_SASL_USERNAME",
    secret: true,
    schema: v.optional(v.pipe(v.string(), v.minLength(1))),
  },
  // The OpenTelemetry SDK's own variables: the SDK reads the rest of them (OTEL_TRACES_SAMPLER,
  // OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES, OTEL_BSP_*…) from the environment itself.
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    default: undefined,
    expects: "the http:// or https:// address of an OTLP/HTTP collector (traces go to <it>/v1/traces); unset: no traces",
    schema: v.optional(v.pipe(v.string(), v.regex(/^https?:\/\/\S+$/), v.check(readableUrl))),
  },
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: {
    default: undefined,
    expects: "the http:// or https:// address traces are posted to, /v1/traces included (instead of OTEL_EXPORTER_OTLP_ENDPOINT)",
    schema: v.optional(v.pipe(v.string(), v.regex(/^https?:\/\/\S+$/), v.check(readableUrl))),
  },
  OTEL_SERVICE_NAME: {
    default: "shop",
    expects: "the service name traces are filed under",
    schema: v.pipe(v.string(), v.regex(/^\S{1,100}$/)),
  },
  OTEL_TRACES_SAMPLER_ARG: {
    default: "0.01",
    expects: "a number 0..1: the share of new traces kept (parent-based: a caller's sampled trace is always kept)",
    schema: v.pipe(v.string(), v.regex(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/), v.transform(Number), v.minValue(0), v.maxValue(1)),
  },
  // Unset, the operations page links no order to its trace.
  JAEGER_UI_URL: {
    default: undefined,
    expects: "the http:// or https:// address of Jaeger's web page, with its base path if it has one (the operations page links each order's traces there)",
    schema: v.optional(v.pipe(v.string(), v.regex(/^https?:\/\/[^\s?#]+$/), v.check(readableUrl), v.transform((s) => s.replace(/\/+$/, "")))),
  },
} as const satisfies Record<string, { default: string | undefined; expects: string; secret?: true; schema: v.GenericSchema }>;

type Settings = typeof settings;
export type Config = { [K in keyof Settings]: v.InferOutput<Settings[K]["schema"]> };
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {}

/** `PORT` ⇄ `--port`: flags are the variables' names in kebab case. */
const flagName = (name: string) => name.toLowerCase().replaceAll("_", "-");

export function parseFlags(argv: string[]) {
  const options = Object.fromEntries(
    Object.keys(settings).map((name) => [flagName(name), { type: "string" as const }]),
  );
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: "boolean", short: "h" }, version: { type: "boolean", short: "v" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

export function loadConfig(env: Record<string, string | undefined>, flags: Record<string, unknown> = {}): Config {
  const config: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(settings)) {
    const flag = flags[flagName(name)];
    const raw = typeof flag === "string" ? flag : (env[name] ?? setting.default);
    const result = v.safeParse(setting.schema as v.GenericSchema, raw === "" ? setting.default : raw);
    if (!result.success) {
      // A secret's value is never repeated: this line ends up in terminals and log collectors.
      const got = "secret" in setting ? "" : `, got ${JSON.stringify(raw)}`;
      throw new ConfigError(`${name}: expected ${setting.expects}${got}`);
    }
    config[name] = result.output;
  }
  requireTogether(config, ["KAFKA_SASL_MECHANISM", "KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD"]);
  return config as Config;
}

/** Settings that mean something only as a set: some without the others is a mistake, not a default. */
function requireTogether(config: Record<string, unknown>, names: (keyof Settings)[]) {
  const missing = names.filter((name) => config[name] === undefined);
  if (missing.length === 0 || missing.length === names.length) return;
  const given = names.filter((name) => !missing.includes(name));
  throw new ConfigError(`${missing[0]}: expected ${settings[missing[0]!].expects}; it is missing while ${given.join(" and ")} ${given.length > 1 ? "are" : "is"} set`);
}

/** One line per setting, then one per `extra` flag (`[flags, what]`), in aligned columns. */
export function describeSettings(extra: [string, string][] = []): string {
  const width = Math.max(...Object.keys(settings).map((name) => name.length));
  return [
    ...Object.entries(settings).map(([name, s]) =>
      `  ${`--${flagName(name)}`.padEnd(width + 2)} ${name.padEnd(width)} ${s.expects}${s.default ? ` (default ${s.default})` : ""}`),
    ...extra.map(([flags, what]) => `  ${flags.padEnd(width + 2)} ${what}`),
  ].join("\n");
}
