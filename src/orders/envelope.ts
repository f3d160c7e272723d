import * as v from "valibot";
import { eventId } from "./ids.ts";
import { OrderPlacedData, PlaceOrderData } from "./schemas.ts";
import { REJECTION_REASONS } from "./status.ts";

export const ENVELOPE_VERSION = 1;

/** Producer clocks are trusted this far and no further: the time must be one the runtime can parse. */
const EARLIEST = Date.parse("2000-01-01T00:00:00Z");
const LATEST = Date.parse("2100-01-01T00:00:00Z");

/**
 * RFC 3339 with a colon in the offset: ISO 8601 allows forms (`+05`, week dates) that
 * `Date.parse` turns into NaN, which would fail only later, in the handler, as no retry can fix.
 */
export const OccurredAt = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/, "occurredAt is an RFC 3339 timestamp"),
  v.check((s) => {
    const t = Date.parse(s);
    return t >= EARLIEST && t < LATEST;
  }, "occurredAt is a real time between 2000 and 2100"),
);

const EnvelopeBase = {
  id: v.pipe(v.string(), v.uuid()),
  orderId: v.pipe(v.string(), v.uuid()),
  occurredAt: OccurredAt,
  version: v.literal(ENVELOPE_VERSION),
};

export const PlaceOrderEnvelope = v.object({ type: v.literal("PlaceOrder"), ...EnvelopeBase, data: PlaceOrderData });
export const OrderPlacedEnvelope = v.object({ type: v.literal("OrderPlaced"), ...EnvelopeBase, data: OrderPlacedData });

export const OrderRejectedEnvelope = v.object({ type: v.literal("OrderRejected"), ...EnvelopeBase, data: v.object({ reason: v.picklist(REJECTION_REASONS) }) });
export const OrderConfirmedEnvelope = v.object({ type: v.literal("OrderConfirmed"), ...EnvelopeBase, data: v.object({}) });

export type PlaceOrderEnvelope = v.InferOutput<typeof PlaceOrderEnvelope>;
export type OrderPlacedEnvelope = v.InferOutput<typeof OrderPlacedEnvelope>;

export type Envelope<T extends string = string, D = unknown> = {
  type: T; id: string; orderId: string; occurredAt: string; version: number; data: D;
};

export function envelope<T extends string, D>(type: T, orderId: string, data: D, id: string = crypto.randomUUID(), at = new Date()): Envelope<T, D> {
  return { type, id, orderId, occurredAt: at.toISOString(), version: ENVELOPE_VERSION, data };
}

/** An event whose id is derived from its order, so publishing it again is recognisably the same event. */
export const event = <T extends string, D>(type: T, orderId: string, data: D, at: Date) =>
  envelope(type, orderId, data, eventId(orderId, type), at);

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A message as it came off a topic, as far as decoding it needs. */
export type RawMessage = { key: string | null; value: Buffer | null; headers: Record<string, string>; headerFault: string | null };

/** Commands are well under this (a PlaceOrder's thousand lines at most); anything larger is not one. */
export const MAX_MESSAGE_BYTES = 256 * 1024;
/** The correlation id is a request id: short, printable ASCII, safe in a header and a log line. */
const CorrelationId = v.pipe(v.string(), v.minLength(1), v.maxLength(200), v.regex(/^[\x20-\x7e]+$/));

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const fail = (reason: string): Decoded<never> => ({ ok: false, reason: reason.slice(0, 500) });

/**
 * Turns a message into a typed envelope, or says in one line why it never can be. What decodes,
 * the handler can process: bytes that are UTF-8 JSON of bounded size, a schema that admits only
 * values the runtime and PostgreSQL accept, headers of bounded size that say what the body says,
 * and the key `keyOf` names: the order id, or the product id (the key decides the partition, and so
 * the order of an entity's messages: one under another key could overtake its own entity's others).
 */
export function decode<S extends v.GenericSchema<unknown, { type: string }>>(
  schema: S, { key, value, headers, headerFault }: RawMessage, keyOf: (value: v.InferOutput<S>) => string,
): Decoded<v.InferOutput<S>> {
  if (value === null || value.length === 0) return fail("empty message");
  if (value.length > MAX_MESSAGE_BYTES) return fail(`too large: ${value.length} bytes, at most ${MAX_MESSAGE_BYTES}`);
  if (headerFault) return fail(headerFault);
  const correlationId = headers["correlation-id"];
  if (correlationId !== undefined && !v.is(CorrelationId, correlationId)) return fail("header correlation-id is not 1..200 printable ASCII characters");
  let json: unknown;
  try {
    json = JSON.parse(strictUtf8.decode(value));
  } catch {
    return fail("not JSON");
  }
  const result = v.safeParse(schema, json);
  if (!result.success) {
    const issue = result.issues[0];
    return fail(`schema: ${v.getDotPath(issue) ?? "(root)"}: ${issue.message}`);
  }
  const { type } = result.output as { type: string };
  if (headers.type !== undefined && headers.type !== type) return fail(`header type ${JSON.stringify(headers.type.slice(0, 50))} is not the envelope's type ${type}`);
  const expected = keyOf(result.output);
  if (key !== expected) return fail(key === null ? "no key: the key must be the envelope's id for it" : `the key is not ${expected}`);
  return { ok: true, value: result.output };
}
