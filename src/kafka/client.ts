import { Kafka, logLevel, type LogEntry } from "kafkajs";
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

export function createKafka(brokers: string[], log: Logger): Kafka {
  const kafkaLog = log.child({ component: "kafkajs" });
  return new Kafka({
    clientId: "shop",
    brokers,
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 200, maxRetryTime: 5_000, retries: 8 },
    logLevel: log.enabled("debug") ? logLevel.DEBUG : logLevel.WARN,
    logCreator: () => ({ namespace, level, log: entry }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = entry;
      kafkaLog[levelOf(level, entry)](message, { namespace, ...fields });
    },
  });
}
