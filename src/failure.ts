import postgres from "postgres";

/**
 * What went wrong, in one word, and whether waiting can fix it. The world is closed: a failure is
 * transient only when it is on the short list below (PostgreSQL or a Kafka broker unreachable or
 * restarting, a serialization failure or deadlock, the SMTP server out of reach or answering 4xx). Anything else, however it looks, is permanent:
 * the consumers try it a bounded number of times and dead-letter the message, HTTP answers 500
 * rather than 503, and nothing is retried for ever on a guess.
 */
export type FailureClass =
  // transient
  | "postgres_unavailable" | "postgres_conflict" | "kafka_unavailable" | "smtp_unavailable"
  // permanent
  | "undecodable" | "unprocessable" | "postgres_data" | "postgres_integrity" | "postgres_error" | "kafka_rejected" | "internal";

export type Failure = { class: FailureClass; transient: boolean; message: string };

export const TRANSIENT: ReadonlySet<FailureClass> = new Set(["postgres_unavailable", "postgres_conflict", "kafka_unavailable", "smtp_unavailable"]);

/** Our own way of saying Kafka did not acknowledge in time (see kafka/publisher.ts). */
export class KafkaUnacknowledged extends Error {}

/** The SMTP server out of reach or answering 4xx: the notifier's mail waits for it (see notifications/smtp.ts). */
export class SmtpUnavailable extends Error {}

/** A record the publisher will not send because Kafka would refuse it for its size (see kafka/publisher.ts). */
export class RecordTooLarge extends Error {}

/**
 * The idempotent producer's sequence numbers lost: no message is at fault, and kafka/producer.ts
 * starts a new producer session on it, so the next try goes through.
 */
export const isSequenceLost = (error: unknown): boolean => (error as { type?: unknown })?.type === "OUT_OF_ORDER_SEQUENCE_NUMBER";

/** SQLSTATE: class 08 connection exception, 53 insufficient resources, 57P01..57P03 the server going away. */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|53[0-9A-Z]{3}|57P0[123])$/;
const CONFLICT_SQLSTATE = new Set(["40001", "40P01"]);

/** postgres.js's own connection errors, and the socket errors it passes through. */
const CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT",
  "ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN",
]);

type Shape = { name?: unknown; code?: unknown; retriable?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown; message?: unknown };

/** kafkajs wraps the error that counts (NumberOfRetriesExceeded, NonRetriable) around its cause. */
function innermost(error: unknown): unknown {
  let e = error;
  for (let depth = 0; depth < 10; depth++) {
    const next = (e as Shape)?.cause ?? (e as Shape)?.originalError;
    if (next === undefined || next === null || next === e) break;
    e = next;
  }
  return e;
}

function classOf(error: unknown): FailureClass {
  if (error instanceof KafkaUnacknowledged) return "kafka_unavailable";
  if (error instanceof SmtpUnavailable) return "smtp_unavailable";
  if (error instanceof RecordTooLarge) return "kafka_rejected";
  const outer = error as Shape;
  if (typeof outer?.name === "string" && outer.name === "KafkaJSAggregateError" && Array.isArray(outer.errors) && outer.errors.length > 0) {
    const classes = outer.errors.map(classOf);
    return classes.every((c) => TRANSIENT.has(c)) ? "kafka_unavailable" : classes.find((c) => !TRANSIENT.has(c))!;
  }
  const e = innermost(error) as Shape;
  if (e === null || typeof e !== "object") return "internal";
  const name = typeof e.name === "string" ? e.name : "";
  if (name.startsWith("KafkaJS")) return e.retriable === true || isSequenceLost(e) ? "kafka_unavailable" : "kafka_rejected";
  const code = typeof e.code === "string" ? e.code : "";
  // By class, not by name: the compiled binary is minified, and postgres.js names its errors after their constructor.
  if (e instanceof postgres.PostgresError && /^[0-9A-Z]{5}$/.test(code)) {
    if (UNAVAILABLE_SQLSTATE.test(code)) return "postgres_unavailable";
    if (CONFLICT_SQLSTATE.has(code)) return "postgres_conflict";
    if (code.startsWith("22")) return "postgres_data";
    if (code.startsWith("23")) return "postgres_integrity";
    return "postgres_error";
  }
  if (CONNECTION_CODES.has(code)) return "postgres_unavailable";
  return "internal";
}

export function classify(error: unknown): Failure {
  const failureClass = classOf(error);
  const message = String((error as Shape)?.message ?? error).slice(0, 500);
  return { class: failureClass, transient: TRANSIENT.has(failureClass), message };
}
