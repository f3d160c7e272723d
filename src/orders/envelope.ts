import * as v from "valibot";
import { eventId } from "./ids.ts";
import { OrderPlacedData, PlaceOrderData } from "./schemas.ts";
import { REJECTION_REASONS } from "./status.ts";

export const ENVELOPE_VERSION = 1;

const EnvelopeBase = {
  id: v.pipe(v.string(), v.uuid()),
  orderId: v.pipe(v.string(), v.uuid()),
  occurredAt: v.pipe(v.string(), v.isoTimestamp()),
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

/** Turns raw bytes into a typed envelope, or says in one line why it never can be. */
export function decode<S extends v.GenericSchema>(schema: S, bytes: Buffer | null): Decoded<v.InferOutput<S>> {
  if (bytes === null || bytes.length === 0) return { ok: false, reason: "empty message" };
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch {
    return { ok: false, reason: "not JSON" };
  }
  const result = v.safeParse(schema, json);
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  const path = v.getDotPath(issue) ?? "(root)";
  return { ok: false, reason: `schema: ${path}: ${issue.message}`.slice(0, 500) };
}
