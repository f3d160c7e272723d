import * as v from "valibot";
import { ShippingAddress, ShippingAddressData } from "./address.ts";
import { CURRENCY, EmailAddress, PersonName, text, typed } from "./fields.ts";
import { CANCELLERS, REFUSAL_REASONS } from "./lifecycle.ts";
import { REJECTION_REASONS, STATUSES } from "./status.ts";

export const ProductId = v.pipe(text(100), v.minLength(1));

export const Customer = v.object({ name: PersonName, email: EmailAddress });
export type Customer = v.InferOutput<typeof Customer>;

export const OrderLine = v.object({
  productId: ProductId,
  quantity: v.pipe(
    v.number("quantity must be a number"),
    v.integer("quantity must be an integer"),
    v.minValue(1, "quantity is at least 1"),
    v.maxValue(99, "quantity is at most 99"),
  ),
});
export type OrderLine = v.InferOutput<typeof OrderLine>;

const distinctProducts = (items: OrderLine[]) => new Set(items.map((i) => i.productId)).size === items.length;

/** The body of POST /api/orders. */
export const PlaceOrderRequest = v.object({
  customer: Customer,
  shippingAddress: ShippingAddress,
  items: v.pipe(
    v.array(OrderLine),
    v.minLength(1, "at least one item is required"),
    v.maxLength(50, "at most 50 items"),
    v.check(distinctProducts, "each product may appear only once"),
  ),
});
export type PlaceOrderRequest = v.InferOutput<typeof PlaceOrderRequest>;

/**
 * The data of a PlaceOrder command. Looser than the request on purpose: any producer may write
 * commands, and an order that is well-formed but breaks a business rule is rejected as
 * `invalid_order` (a visible outcome) rather than dead-lettered. Every request field is a `text`
 * field with tighter bounds (fields.ts), so whatever the API accepts decodes here.
 */
export const PlaceOrderData = v.object({
  customer: v.object({ name: text(1000), email: text(1000) }),
  /** Absent only in commands written before orders had an address: such an order is placed without one. */
  shippingAddress: v.optional(ShippingAddressData),
  items: v.pipe(
    v.array(v.object({ productId: ProductId, quantity: v.pipe(v.number(), v.safeInteger()) })),
    v.maxLength(1000),
  ),
  owner: v.optional(text(200)),
});
export type PlaceOrderData = v.InferOutput<typeof PlaceOrderData>;

const Count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const Timestamp = v.pipe(v.string(), v.isoTimestamp());

/** Only the order id is acted on, but nothing the contract does not allow is let through either. */
export const OrderPlacedData = v.object({
  items: v.pipe(v.array(v.object({ productId: ProductId, quantity: Count, unitPriceCents: Count })), v.maxLength(1000)),
  totalCents: Count,
  currency: v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, "currency is an ISO 4217 code")),
});
export type OrderPlacedData = v.InferOutput<typeof OrderPlacedData>;

/** Why a customer or the admin cancels: optional, as a person types it. */
export const CancelReason = v.optional(typed("reason", 200, { optional: true }));

/** The body of POST /api/orders/:id/cancel and its admin twin; the body itself may be left out. */
export const CancelRequest = v.object({ reason: CancelReason });

export const ShipRequest = v.object({ carrier: typed("carrier", 100), trackingNumber: typed("trackingNumber", 100) });
export type ShipRequest = v.InferOutput<typeof ShipRequest>;

/**
 * The lifecycle commands' data: the requests' own fields, so a command the API sends always decodes.
 * An empty reason is no reason.
 */
export const CancelOrderData = v.object({
  by: v.picklist(CANCELLERS),
  reason: v.pipe(CancelReason, v.transform((r) => (r ? r : undefined))),
});
export const ShipOrderData = ShipRequest;
export const DeliverOrderData = v.object({});

export const Returned = v.pipe(v.array(v.object({ productId: ProductId, quantity: Count })), v.maxLength(1000));
export const OrderCancelledData = v.object({ by: v.picklist(CANCELLERS), reason: v.optional(text(200)), returned: Returned });
export const OrderCommandRefusedData = v.object({
  commandId: v.pipe(v.string(), v.uuid()),
  command: v.picklist(["CancelOrder", "ShipOrder", "DeliverOrder"]),
  reason: v.picklist(REFUSAL_REASONS),
  status: v.nullable(v.picklist(STATUSES)),
});

/** A `limit` query parameter: an integer 1..max (at most 999), `fallback` when absent. */
export const Limit = (max: number, fallback: number) => {
  const message = `limit is an integer 1..${max}`;
  return v.optional(
    v.pipe(v.string(), v.regex(/^\d{1,3}$/, message), v.transform(Number), v.number(), v.integer(), v.minValue(1, message), v.maxValue(max, message)),
    String(fallback),
  );
};

export const OrderListQuery = v.object({ limit: Limit(100, 20) });

export const OrderIdParam = v.pipe(v.string(), v.uuid());

export const Cents = v.pipe(v.number(), v.integer(), v.minValue(0));

/** When the order reached each status it went through, in order. */
export const Step = v.object({ status: v.picklist(STATUSES), at: Timestamp });

export const Order = v.object({
  id: v.pipe(v.string(), v.uuid()),
  status: v.picklist(STATUSES),
  reason: v.optional(v.picklist(REJECTION_REASONS)),
  customer: v.object({ name: v.string(), email: v.string() }),
  shippingAddress: v.optional(v.object({
    name: v.string(), line1: v.string(), line2: v.optional(v.string()), city: v.string(), postalCode: v.string(), country: v.string(),
  })),
  shipment: v.optional(v.object({ carrier: v.string(), trackingNumber: v.string() })),
  cancellation: v.optional(v.object({ by: v.picklist(CANCELLERS), reason: v.optional(v.string()) })),
  timeline: v.array(Step),
  items: v.array(v.object({ productId: v.string(), name: v.string(), quantity: v.pipe(v.number(), v.integer()), unitPriceCents: Cents })),
  totalCents: Cents,
  currency: v.literal(CURRENCY),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Order = v.InferOutput<typeof Order>;

/** A lifecycle command's outcome, as the admin's order detail lists them. */
export const OrderEvent = v.object({
  type: v.picklist(["OrderCancelled", "OrderShipped", "OrderDelivered", "OrderCommandRefused"]),
  commandId: v.pipe(v.string(), v.uuid()),
  data: v.record(v.string(), v.unknown()),
  at: Timestamp,
});
export type OrderEvent = v.InferOutput<typeof OrderEvent>;

/**
 * GET /api/admin/orders/:id: the order and, oldest first, what happened to it after its placement;
 * with JAEGER_UI_URL set, Jaeger's search page for its traces.
 */
export const AdminOrder = v.object({ ...Order.entries, events: v.array(OrderEvent), traceUrl: v.optional(v.pipe(v.string(), v.url())) });
export type AdminOrder = v.InferOutput<typeof AdminOrder>;

export const OrderPage = v.object({ items: v.array(Order), nextCursor: v.nullable(v.string()) });

/** Who is asking: a session sees its own orders, a mailed link's holder its one order, the admin every order. */
export type Viewer = { admin: true } | { admin: false; owner: string } | { admin: false; order: string };

export const OrderAccepted = v.object({ id: v.pipe(v.string(), v.uuid()), status: v.literal("pending") });
export type OrderAccepted = v.InferOutput<typeof OrderAccepted>;

/** A lifecycle command sent: its id names the outcome on the order's events, and a repeated request sends the same one. */
export const OrderCommandAccepted = v.object({ id: v.pipe(v.string(), v.uuid()), commandId: v.pipe(v.string(), v.uuid()) });
export type OrderCommandAccepted = v.InferOutput<typeof OrderCommandAccepted>;

export const StatusEvent = v.object({
  id: v.pipe(v.string(), v.uuid()),
  status: v.picklist(STATUSES),
  reason: v.optional(v.picklist(REJECTION_REASONS)),
  at: Timestamp,
});
export type StatusEvent = v.InferOutput<typeof StatusEvent>;
