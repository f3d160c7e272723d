import { ConfigError, loadConfig } from "../../src/config.ts";
import { InfraError } from "./run.ts";

export type PostgresTarget = {
  url: string;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  address: string;
};

export type KafkaTarget = {
  brokers: string[];
  /** The first broker: the one a native start listens on. */
  host: string;
  port: number;
  address: string;
};

export type SmtpTarget = {
  host: string;
  port: number;
  address: string;
  /** Where the Mailpit infra:up starts shows the mail it took: its web page and API. */
  web: { host: string; port: number; url: string };
};

/** Where infra:up's Jaeger (native or Compose's) listens: Jaeger's own default ports, on this machine. */
export const JAEGER = {
  host: "127.0.0.1",
  otlpGrpcPort: 4317,
  otlpHttpPort: 4318,
  queryPort: 16686,
  /** Its query API and web page. */
  queryUrl: "http://127.0.0.1:16686",
  /** What OTEL_EXPORTER_OTLP_ENDPOINT names to send it traces over OTLP/HTTP. */
  otlpHttpUrl: "http://127.0.0.1:4318",
  address: "127.0.0.1:16686",
} as const;

/** Mailpit's own ports: where infra:up starts it, and where ./scripts/start.sh points the shop, when SMTP_URL is unset. */
export const MAILPIT_SMTP_URL = "smtp://127.0.0.1:1025";
const MAILPIT_WEB = { host: "127.0.0.1", port: 8025, url: "http://127.0.0.1:8025" };

/** The services the binary will talk to, read the way the binary reads them. */
export function readTargets(env: Record<string, string | undefined>) {
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new InfraError(error.message);
    throw error;
  }

  const url = new URL(config.DATABASE_URL);
  const user = decodeURIComponent(url.username) || "postgres";
  const postgres: PostgresTarget = {
    url: config.DATABASE_URL,
    host: url.hostname,
    port: Number(url.port || 5432),
    user,
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)) || user,
    address: `${url.hostname}:${url.port || 5432}`,
  };

  const smtpUrl = new URL(config.SMTP_URL ?? MAILPIT_SMTP_URL);
  const smtpPort = Number(smtpUrl.port || (smtpUrl.protocol === "smtps:" ? 465 : 587));
  const smtp: SmtpTarget = { host: smtpUrl.hostname, port: smtpPort, address: `${smtpUrl.hostname}:${smtpPort}`, web: MAILPIT_WEB };

  return { postgres, kafka: kafkaTarget(config.KAFKA_BROKERS[0]!, ...config.KAFKA_BROKERS.slice(1)), smtp };
}

export function kafkaTarget(first: string, ...others: string[]): KafkaTarget {
  const colon = first.lastIndexOf(":");
  return { brokers: [first, ...others], host: first.slice(0, colon), port: Number(first.slice(colon + 1)), address: first };
}
