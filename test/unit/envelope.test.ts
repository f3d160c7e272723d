import { describe, expect, test } from "bun:test";
import { decode, envelope, PlaceOrderEnvelope } from "../../src/orders/envelope.ts";

const data = { customer: { name: "Ada", email: "ada@example.com" }, items: [{ productId: "p", quantity: 1 }] };
const bytes = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value));

describe("decode", () => {
  test("a valid PlaceOrder decodes to its envelope", () => {
    const e = envelope("PlaceOrder", crypto.randomUUID(), data);
    expect(decode(PlaceOrderEnvelope, bytes(e))).toEqual({ ok: true, value: e } as never);
  });

  test.each([
    ["empty", null, "empty message"],
    ["not JSON", "{nope", "not JSON"],
    ["another type", { ...envelope("PlaceOrder", crypto.randomUUID(), data), type: "Other" }, "schema: type"],
    ["an unknown version", { ...envelope("PlaceOrder", crypto.randomUUID(), data), version: 2 }, "schema: version"],
    ["an order id that is no UUID", { ...envelope("PlaceOrder", crypto.randomUUID(), data), orderId: "1" }, "schema: orderId"],
    ["no data", { ...envelope("PlaceOrder", crypto.randomUUID(), data), data: undefined }, "schema: data"],
    ["a quantity of the wrong type", envelope("PlaceOrder", crypto.randomUUID(), { ...data, items: [{ productId: "p", quantity: "1" }] }), "schema: data.items.0.quantity"],
  ])("%s never decodes, and says why", (_, value, reason) => {
    const result = decode(PlaceOrderEnvelope, value === null ? null : bytes(value));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.startsWith(reason)).toBe(true);
  });
});
