import * as v from "valibot";
import { eventId } from "./ids.ts";
import {
  CancelOrderData, DeliverOrderData, OrderCancelledData, OrderCommandRefusedData, OrderPlacedData, PlaceOrderData, ShipOrderData, ShipRequest,
} from "./schemas.ts";
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

export const CancelOrderEnvelope = v.object({ type: v.literal("CancelOrder"), ...EnvelopeBase, data: CancelOrderData });
export const ShipOrderEnvelope = v.object({ type: v.literal("ShipOrder"), ...EnvelopeBase, data: ShipOrderData });
export const DeliverOrderEnvelope = v.object({ type: v.literal("DeliverOrder"), ...EnvelopeBase, data: DeliverOrderData });

/** Everything orders.commands carries: an order's placement, then what happens to it, in its partition's order. */
export const OrderCommandEnvelope = v.variant("type", [PlaceOrderEnvelope, CancelOrderEnvelope, ShipOrderEnvelope, DeliverOrderEnvelope]);

export const OrderCancelledEnvelope = v.object({ type: v.literal("OrderCancelled"), ...EnvelopeBase, data: OrderCancelledData });
export const OrderShippedEnvelope = v.object({ type: v.literal("OrderShipped"), ...EnvelopeBase, data: ShipRequest });
export const OrderDeliveredEnvelope = v.object({ type: v.literal("OrderDelivered"), ...EnvelopeBase, data: v.object({}) });
export const OrderCommandRefusedEnvelope = v.object({ type: v.literal("OrderCommandRefused"), ...EnvelopeBase, data: OrderCommandRefusedData });

export type PlaceOrderEnvelope = v.InferOutput<typeof PlaceOrderEnvelope>;
export type OrderCommandEnvelope = v.InferOutput<typeof OrderCommandEnvelope>;
export type LifecycleCommandEnvelope = Exclude<OrderCommandEnvelope, PlaceOrderEnvelope>;
export type OrderPlacedEnvelope = v.InferOutput<typeof OrderPlacedEnvelope>;

/** Every message's envelope. `K` names the id that is also its key: the order's, or for the catalog the product's. */
export type Envelope<T extends string = string, D = unknown, K extends string = "orderId"> =
  { type: T; id: string } & { [key in K]: string } & { occurredAt: string; version: number; data: D };

/** Makes the envelopes whose key is `keyName`. */
export const envelopeOf = <K extends string>(keyName: K) =>
  <T extends string, D>(type: T, key: string, data: D, id: string = crypto.randomUUID(), at = new Date()): Envelope<T, D, K> =>
    ({ type, id, [keyName]: key, occurredAt: at.toISOString(), version: ENVELOPE_VERSION, data }) as Envelope<T, D, K>;

export const envelope = envelopeOf("orderId");

/** An event whose id is derived from its order, so publishing it again is recognisably the same event. */
export const event = <T extends string, D>(type: T, orderId: string, data: D, at: Date) =>
  envelope(type, orderId, data, eventId(orderId, type), at);
