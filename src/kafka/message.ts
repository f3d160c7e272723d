import type { IHeaders, KafkaMessage } from "kafkajs";
import type { Failure } from "../failure.ts";

/** A message as the handlers see it: where it came from, and its bytes. */
export type Inbound = {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  /** Each header's first value, as UTF-8. */
  headers: Record<string, string>;
  /** The headers exactly as they came, repeats and bytes included: what a dead letter copies. */
  rawHeaders: IHeaders;
  /** Why the headers cannot be taken at their word (a name repeated, a value not UTF-8), if they cannot. */
  headerFault: string | null;
  /** When Kafka took the message in: for an orders.dlq message, when it was dead-lettered. */
  timestamp: Date;
};

/** A decoded message: what the handler works on, and the message it came from. */
export type Item<T> = { message: Inbound; value: T };

/** What a handler publishes: its route decides the topic from the body's `type`, and the chain adds the correlation id. */
export type Event = { key: string; body: { type: string } };

/**
 * What a handler produces for one of its messages: an event, which the chain publishes with the
 * message's correlation id, or the verdict that the message can never be processed, which the chain
 * dead-letters with that reason.
 */
export type Produced = { cause: Inbound; event: Event } | { cause: Inbound; unprocessable: string };

/** A consumer's business logic: a batch in, in the chain's transaction, what it produced out. It publishes nothing itself. */
export type Handler<T, Tx> = (tx: Tx, items: Item<T>[]) => Promise<Produced[]>;

/** A message the chain gives up on, why, and how many times the handler was run with it. */
export type Casualty = { message: Inbound; failure: Failure; attempts: number };

/** A step of the chain: it resolves, once the whole batch is done with, to the messages it gave up on. */
export type Step<T = Inbound> = (items: T[]) => Promise<Casualty[]>;

/** A step wrapped around the rest of the chain, as Watermill's middleware wraps a handler. */
export type Middleware<T = Inbound> = (next: Step<T>) => Step<T>;

/**
 * A JSON body as a message: its `type` goes in the type header too, which consumers check against
 * the body, and `headers` (a correlation-id, say) beside it.
 */
export const jsonMessage = (topic: string, key: string, body: { type: string }, headers: Record<string, string> = {}): JsonMessage =>
  ({ topic, key, value: JSON.stringify(body), headers: { type: body.type, ...headers } });

export type JsonMessage = { topic: string; key: string; value: string; headers: Record<string, string> };

/** The id that ties an order's messages to the request that started it; a message without one gets its coordinates. */
export const correlationOf = (m: Inbound) => m.headers["correlation-id"] ?? `${m.topic}-${m.partition}-${m.offset}`;

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

export function toInbound(topic: string, partition: number, m: KafkaMessage): Inbound {
  const headers: Record<string, string> = {};
  const rawHeaders = m.headers ?? {};
  let headerFault: string | null = null;
  for (const [name, value] of Object.entries(rawHeaders)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) headerFault ??= `header ${JSON.stringify(name.slice(0, 64))} is repeated`;
    const first = Array.isArray(value) ? value[0] : value;
    if (first === undefined) continue;
    if (Buffer.isBuffer(first)) {
      try {
        headers[name] = strictUtf8.decode(first);
      } catch {
        headerFault ??= `header ${JSON.stringify(name.slice(0, 64))} is not UTF-8`;
        headers[name] = first.toString("utf8");
      }
    } else headers[name] = String(first);
  }
  return {
    topic, partition, offset: m.offset, key: m.key?.toString() ?? null, value: m.value, headers, rawHeaders, headerFault,
    timestamp: new Date(Number(m.timestamp)),
  };
}
