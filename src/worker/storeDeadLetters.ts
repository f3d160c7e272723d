import { classify } from "../failure.ts";
import type { NewDeadLetter } from "../db/deadLetters.ts";
import type { BatchHandler, Inbound } from "../kafka/message.ts";
import type { Logger } from "../log.ts";

type Deps = { insert: (letters: NewDeadLetter[]) => Promise<void>; log: Logger };

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
 * Keeps every orders.dlq message in PostgreSQL, a batch in one insert. There is no dead-letter
 * queue behind this one: a transient failure is retried (by the retry middleware around it), and
 * a message the database refuses outright is logged and left in orders.dlq rather than allowed to
 * hold up the messages after it.
 */
export function storeDeadLetters({ insert, log }: Deps): BatchHandler<Inbound> {
  return async (messages) => {
    const rows = messages.map(deadLetterRow);
    try {
      await insert(rows);
    } catch (error) {
      if (classify(error).transient) throw error;
      for (const [i, row] of rows.entries()) {
        try {
          await insert([row]);
        } catch (single) {
          if (classify(single).transient) throw single;
          const { partition, offset } = messages[i]!;
          log.error("dead letter not stored: it stays in orders.dlq only", { partition, offset, err: single });
        }
      }
    }
  };
}
