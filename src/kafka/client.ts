import { Kafka, logLevel, type LogEntry, type SASLOptions } from "kafkajs";
import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";

const LEVELS: Record<number, "error" | "warn" | "info" | "debug"> = {
  [logLevel.ERROR]: "error", [logLevel.WARN]: "warn", [logLevel.INFO]: "info", [logLevel.DEBUG]: "debug",
};

/**
 * What a broker answers while it starts, elects leaders or forms a group: kafkajs retries these by
 * itself, so they are news, not failures, and a healthy first start must not print them as errors.
 */
const EXPECTED_BROKER_STATES = [
  "The coordinator is loading",
  "The group coordinator is not available",
  "This is not the correct coordinator",
  "There is no leader for this topic-partition",
  "The group is rebalancing",
  "This server does not host this topic-partition",
  "This server is not the leader for that topic-partition",
];

export const isExpectedBrokerState = (message: unknown) =>
  typeof message === "string" && EXPECTED_BROKER_STATES.some((state) => message.startsWith(state));

/**
 * A broker out of reach for a while, as while it restarts: kafkajs reconnects by itself, and
 * /readyz, the stall watch and shop_kafka_up tell when it lasts. A refused certificate or password
 * is not on the list: that needs a person.
 */
const UNREACHABLE = /^(Failed to connect to seed broker, trying another broker from the list: )?(Connection error: .*\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)\b|Connection timeout|Closed connection)/;

type Level = "error" | "warn" | "info" | "debug";

/**
 * The level a kafkajs log line is written at: its own, except that expected broker states are
 * info and a broker out of reach is warn. Error is left for what a person must act on.
 */
export function levelOf(level: number, entry: { message: string; error?: unknown }): Level {
  const own = LEVELS[level] ?? "info";
  if (own !== "error" && own !== "warn") return own;
  // Each crash, and the restart after it, is logged once by kafka/consumer.ts at the level it deserves.
  if (entry.message.startsWith("Crash: ") || entry.message.startsWith("Restarting the consumer")) return "debug";
  if (isExpectedBrokerState(entry.error) || isExpectedBrokerState(entry.message)) return "info";
  if (UNREACHABLE.test(entry.message)) return "warn";
  return own;
}

/** A line seen again within this long of its last time belongs to the same episode. */
const EPISODE_MS = 60_000;
/** Distinct lines remembered; past this the memory starts again (a line may then be logged twice). */
const MAX_LINES = 1_000;

/**
 * Writes kafkajs's log lines into ours. kafkajs writes one per connection and per retry, so a
 * broker restart wrote the same line hundreds of times: each line is written at its level the first
 * time in an episode, and at debug (LOG_LEVEL=debug shows them all) until it has been quiet for
 * EPISODE_MS.
 */
export function kafkaLogger(log: Logger, now = Date.now): (entry: LogEntry) => void {
  const lastSeen = new Map<string, number>();
  return ({ namespace, level, log: entry }) => {
    const { message, timestamp: _timestamp, logger: _logger, ...fields } = entry;
    let at = levelOf(level, entry);
    if (at !== "debug") {
      const key = `${namespace}\u0000${message}\u0000${String(entry.error ?? "")}`;
      const last = lastSeen.get(key);
      if (lastSeen.size >= MAX_LINES) lastSeen.clear();
      lastSeen.set(key, now());
      if (last !== undefined && now() - last < EPISODE_MS) at = "debug";
    }
    log[at](message, { namespace, ...fields });
  };
}

export type KafkaSettings = Pick<Config, "KAFKA_BROKERS" | "KAFKA_SSL" | "KAFKA_SASL_MECHANISM" | "KAFKA_SASL_USERNAME" | "KAFKA_SASL_PASSWORD">;

/** config.ts guarantees the three SASL settings come together. */
function sasl(settings: KafkaSettings): SASLOptions | undefined {
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = settings;
  if (!mechanism || username === undefined || password === undefined) return undefined;
  return { mechanism, username, password };
}

/**
 * `ssl: true` verifies the brokers' certificates against Bun's root CAs, plus those in the file
 * NODE_EXTRA_CA_CERTS names (a private CA's, for example).
 */
export function createKafka(settings: KafkaSettings, log: Logger): Kafka {
  return new Kafka({
    clientId: "shop",
    brokers: settings.KAFKA_BROKERS,
    ssl: settings.KAFKA_SSL,
    sasl: sasl(settings),
    connectionTimeout: 3_000,
    // SASL and TLS add round trips before the first request; a managed cluster across a region needs them.
    authenticationTimeout: 10_000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 200, maxRetryTime: 5_000, retries: 8 },
    logLevel: log.enabled("debug") ? logLevel.DEBUG : logLevel.WARN,
    logCreator: () => kafkaLogger(log.child({ component: "kafkajs" })),
  });
}
