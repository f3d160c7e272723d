import type { Tx } from "../db/client.ts";
import { insertDeadLetters, type NewDeadLetter } from "../db/deadLetters.ts";
import type { Handler, Inbound } from "../kafka/message.ts";

/** PostgreSQL text cannot hold NUL, and a poison message may well carry one. */
const storable = (text: string) => text.replaceAll("\0", "\uFFFD");

const digits = (text: string | undefined, max: number) =>
  text !== undefined && new RegExp(`^\\d{1,${max}}$`).test(text) ? text : null;

/**
 * An orders.dlq message as a row. Its dlq-* headers say where it came from and why; anyone may write
 * to orders.dlq, so a header that is missing or malformed is stored as unknown rather than trusted.
 */
export function deadLetterRow(message: Inbound): NewDeadLetter {
  const { headers } = message;
  const sourcePartition = digits(headers["dlq-source-partition"], 9);
  return {
    dlqPartition: message.partition,
    dlqOffset: message.offset,
    sourceTopic: headers["dlq-source-topic"] ? storable(headers["dlq-source-topic"]) : null,
    sourcePartition: sourcePartition === null ? null : Number(sourcePartition),
    sourceOffset: digits(headers["dlq-source-offset"], 18),
    key: storable(message.key ?? ""),
    value: message.value ?? Buffer.alloc(0),
    headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [storable(name), storable(value)])),
    reason: storable(headers["dlq-reason"] ?? "unknown: the message has no dlq-reason header"),
    deadAt: message.timestamp,
  };
}

/**
 * Keeps every orders.dlq message in PostgreSQL, a batch in one insert. It produces nothing: a row
 * the database refuses outright is isolated by the chain and logged, and stays in orders.dlq only.
 */
export const storeDeadLetters: Handler<Inbound, Tx> = async (tx, items) => {
  await insertDeadLetters(tx, items.map((i) => deadLetterRow(i.message)));
  return [];
};
