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

/** The level a kafkajs log line is written at: its own, except that expected broker states are info. */
export function levelOf(level: number, entry: { message: string; error?: unknown }): "error" | "warn" | "info" | "debug" {
  const own = LEVELS[level] ?? "info";
  if (own !== "error" && own !== "warn") return own;
  if (isExpectedBrokerState(entry.error) || isExpectedBrokerState(entry.message)) return "info";
  // Follows a consumer crash that is itself logged, at the level it deserves, by kafka/consumer.ts.
  if (entry.message.startsWith("Restarting the consumer")) return "info";
  return own;
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
  const kafkaLog = log.child({ component: "kafkajs" });
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
    logCreator: () => ({ namespace, level, log: entry }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = entry;
      kafkaLog[levelOf(level, entry)](message, { namespace, ...fields });
    },
  });
}
