import { Kafka, logLevel, type LogEntry } from "kafkajs";
import "./idleTimerFix.ts";
import type { Logger } from "../log.ts";

const LEVELS: Record<number, "error" | "warn" | "info" | "debug"> = {
  [logLevel.ERROR]: "error", [logLevel.WARN]: "warn", [logLevel.INFO]: "info", [logLevel.DEBUG]: "debug",
};

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
      kafkaLog[LEVELS[level] ?? "info"](message, { namespace, ...fields });
    },
  });
}
