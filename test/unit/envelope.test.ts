import { describe, expect, test } from "bun:test";
import { decodeEnvelope, MAX_MESSAGE_BYTES, type RawMessage } from "../../src/kafka/decode.ts";
import { envelope, OrderPlacedEnvelope, PlaceOrderEnvelope } from "../../src/orders/envelope.ts";

const decodeByOrder = (schema: typeof PlaceOrderEnvelope | typeof OrderPlacedEnvelope, m: RawMessage) => decodeEnvelope(schema, (e) => e.orderId)(m);

const data = { customer: { name: "Ada", email: "ada@example.com" }, items: [{ productId: "p", quantity: 1 }] };
const placeOrder = (patch: Record<string, unknown> = {}) => ({ ...envelope("PlaceOrder", crypto.randomUUID(), data), ...patch });
const message = (value: unknown, patch: Partial<RawMessage> = {}): RawMessage => ({
  key: (value as { orderId?: string })?.orderId ?? null,
  value: value === null ? null : Buffer.isBuffer(value) ? value : Buffer.from(typeof value === "string" ? value : JSON.stringify(value)),
  headers: { type: "PlaceOrder", "correlation-id": "req-1" },
  headerFault: null,
  ...patch,
});

describe("decode", () => {
  test("a valid PlaceOrder decodes to its envelope", () => {
    const e = placeOrder();
    expect(decodeByOrder(PlaceOrderEnvelope, message(e))).toEqual({ ok: true, value: e } as never);
  });

  test("an RFC 3339 time with an offset, or nanoseconds, decodes", () => {
    for (const occurredAt of ["2026-01-01T00:00:00+05:00", "2026-01-01T00:00:00.123456789Z"]) {
      expect(decodeByOrder(PlaceOrderEnvelope, message(placeOrder({ occurredAt }))).ok).toBe(true);
    }
  });

  const items = (patch: Record<string, unknown>) => placeOrder({ data: { ...data, items: [{ productId: "p", quantity: 1, ...patch }] } });
  const customer = (name: string) => placeOrder({ data: { ...data, customer: { name, email: "a@b.co" } } });
  test.each([
    ["empty", null, "empty message"],
    ["not JSON", "{nope", "not JSON"],
    ["not UTF-8", Buffer.from([0x7b, 0xff, 0x7d]), "not JSON"],
    ["too large", Buffer.alloc(MAX_MESSAGE_BYTES + 1, 0x20), "too large"],
    ["another type", placeOrder({ type: "Other" }), "schema: type"],
    ["an unknown version", placeOrder({ version: 2 }), "schema: version"],
    ["an order id that is no UUID", placeOrder({ orderId: "1" }), "schema: orderId"],
    ["no data", placeOrder({ data: undefined }), "schema: data"],
    ["a quantity of the wrong type", items({ quantity: "1" }), "schema: data.items.0.quantity"],
    ["a fractional quantity", items({ quantity: 1.5 }), "schema: data.items.0.quantity"],
    ["an unsafe integer", items({ quantity: 2 ** 53 }), "schema: data.items.0.quantity"],
    ["a huge number", items({ quantity: 1e308 }), "schema: data.items.0.quantity"],
    ["an ISO 8601 offset Date.parse cannot read", placeOrder({ occurredAt: "2026-01-01T00:00:00+05" }), "schema: occurredAt"],
    ["a time before 2000", placeOrder({ occurredAt: "1970-01-01T00:00:00Z" }), "schema: occurredAt"],
    ["a time in year 9999", placeOrder({ occurredAt: "9999-12-31T23:59:59Z" }), "schema: occurredAt"],
    ["a NUL byte", customer("nul\u0000byte"), "schema: data.customer.name"],
    ["a lone surrogate", customer("half \ud800 a pair"), "schema: data.customer.name"],
    ["a huge string", customer("x".repeat(5_000)), "schema: data.customer.name"],
    ["an owner too long", placeOrder({ data: { ...data, owner: "o".repeat(201) } }), "schema: data.owner"],
  ])("%s never decodes, and says why", (_, value, reason) => {
    const result = decodeByOrder(PlaceOrderEnvelope, message(value));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toStartWith(reason);
  });

  test.each([
    ["a null key", { key: null }, "no key"],
    ["a key that is not the orderId", { key: crypto.randomUUID() }, "the key is not "],
    ["a repeated header", { headerFault: "header \"type\" is repeated" }, "header \"type\" is repeated"],
    ["a correlation id too long", { headers: { "correlation-id": "c".repeat(201) } }, "header correlation-id"],
    ["a correlation id with a control character", { headers: { "correlation-id": "a\nb" } }, "header correlation-id"],
    ["a type header that contradicts the body", { headers: { type: "OrderPlaced" } }, "header type"],
  ])("%s never decodes, and says why", (_, patch, reason) => {
    const e = placeOrder();
    const result = decodeByOrder(PlaceOrderEnvelope, { ...message(e), ...patch });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toStartWith(reason);
  });

  test("OrderPlaced: integers, an ISO currency, bounded lines", () => {
    const placed = (d: Record<string, unknown>) => ({ ...envelope("OrderPlaced", crypto.randomUUID(), { items: [{ productId: "p", quantity: 1, unitPriceCents: 100 }], totalCents: 100, currency: "USD", ...d }) });
    const headers = { type: "OrderPlaced" };
    expect(decodeByOrder(OrderPlacedEnvelope, message(placed({}), { headers })).ok).toBe(true);
    for (const bad of [{ totalCents: 0.5 }, { totalCents: -1 }, { totalCents: 2 ** 60 }, { currency: "dollars" }, { items: Array.from({ length: 1001 }, () => ({ productId: "p", quantity: 1, unitPriceCents: 1 })) }]) {
      expect(decodeByOrder(OrderPlacedEnvelope, message(placed(bad), { headers })).ok).toBe(false);
    }
  });
});
