import * as v from "valibot";
import { CURRENCY, EmailAddress, PersonName, text } from "./fields.ts";
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
  items: v.pipe(
    v.array(v.object({ productId: ProductId, quantity: v.pipe(v.number(), v.safeInteger()) })),
    v.maxLength(1000),
  ),
  owner: v.optional(text(200)),
});
export type PlaceOrderData = v.InferOutput<typeof PlaceOrderData>;

const Count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

/** Only the order id is acted on, but nothing the contract does not allow is let through either. */
export const OrderPlacedData = v.object({
  items: v.pipe(v.array(v.object({ productId: ProductId, quantity: Count, unitPriceCents: Count })), v.maxLength(1000)),
  totalCents: Count,
  currency: v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, "currency is an ISO 4217 code")),
});
export type OrderPlacedData = v.InferOutput<typeof OrderPlacedData>;

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

const Timestamp = v.pipe(v.string(), v.isoTimestamp());
export const Cents = v.pipe(v.number(), v.integer(), v.minValue(0));

export const Order = v.object({
  id: v.pipe(v.string(), v.uuid()),
  status: v.picklist(STATUSES),
  reason: v.optional(v.picklist(REJECTION_REASONS)),
  customer: v.object({ name: v.string(), email: v.string() }),
  items: v.array(v.object({ productId: v.string(), name: v.string(), quantity: v.pipe(v.number(), v.integer()), unitPriceCents: Cents })),
  totalCents: Cents,
  currency: v.literal(CURRENCY),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Order = v.InferOutput<typeof Order>;

/** Who is asking: a session sees its own orders, the admin every order. */
export type Viewer = { admin: true } | { admin: false; owner: string };

export const OrderAccepted = v.object({ id: v.pipe(v.string(), v.uuid()), status: v.literal("pending") });
export type OrderAccepted = v.InferOutput<typeof OrderAccepted>;

export const StatusEvent = v.object({
  id: v.pipe(v.string(), v.uuid()),
  status: v.picklist(STATUSES),
  reason: v.optional(v.picklist(REJECTION_REASONS)),
  at: Timestamp,
});
export type StatusEvent = v.InferOutput<typeof StatusEvent>;
