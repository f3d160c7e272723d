import { parseArgs } from "node:util";
import * as v from "valibot";

const ROLE_NAMES = ["api", "worker"] as const;
const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;

/** Also what the test suite and the bench reach for when DATABASE_URL is unset. */
export const DEFAULT_DATABASE_URL = "postgres://postgres:postgres@127.0.0.1:5432/shop";

/** Each setting: its environment variable, its default, and the schema a value must pass. */
const settings = {
  PORT: {
    default: "8080",
    expects: "an integer port 1..65535",
    schema: v.pipe(v.string(), v.regex(/^\d{1,5}$/), v.transform(Number), v.integer(), v.minValue(1), v.maxValue(65535)),
  },
  DATABASE_URL: {
    default: DEFAULT_DATABASE_URL,
    expects: "a postgres:// or postgresql:// URL",
    schema: v.pipe(v.string(), v.regex(/^postgres(ql)?:\/\/[^\s]+$/)),
  },
  KAFKA_BROKERS: {
    default: "127.0.0.1:9092",
    expects: "comma-separated host:port pairs",
    schema: v.pipe(
      v.string(),
      v.transform((s) => s.split(",").map((b) => b.trim())),
      v.array(v.pipe(v.string(), v.regex(/^[A-Za-z0-9.\-_\[\]:]+:\d{1,5}$/))),
      v.minLength(1),
    ),
  },
  ROLES: {
    default: "api,worker",
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
} as const;

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
    if (!result.success) throw new ConfigError(`${name}: expected ${setting.expects}, got ${JSON.stringify(raw)}`);
    config[name] = result.output;
  }
  return config as Config;
}

export function describeSettings(): string {
  return Object.entries(settings)
    .map(([name, s]) => `  --${flagName(name).padEnd(18)} ${name.padEnd(16)} ${s.expects}${s.default ? ` (default ${s.default})` : ""}`)
    .join("\n");
}
