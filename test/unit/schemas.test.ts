import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { IdempotencyKey } from "../../src/http/contract.ts";
import { OrderListQuery, PlaceOrderRequest } from "../../src/orders/schemas.ts";

const shippingAddress = { name: "Ada Lovelace", line1: "12 St James's Square", city: "London", postalCode: "SW1Y 4JH", country: "GB" };
const valid = { customer: { name: "Ada Lovelace", email: "ada@example.com" }, shippingAddress, items: [{ productId: "prd_a", quantity: 2 }] };
const paths = (input: unknown) => {
  const r = v.safeParse(PlaceOrderRequest, input);
  return r.success ? [] : r.issues.map((i) => v.getDotPath(i));
};

describe("PlaceOrderRequest", () => {
  test("accepts the contract's example and trims the customer", () => {
    const r = v.parse(PlaceOrderRequest, { ...valid, customer: { name: "  Ada ", email: " ada@example.com " } });
    expect(r.customer).toEqual({ name: "Ada", email: "ada@example.com" });
  });

  test.each([
    [{ ...valid, items: [] }, "items"],
    [{ ...valid, items: Array.from({ length: 51 }, (_, i) => ({ productId: `p${i}`, quantity: 1 })) }, "items"],
    [{ ...valid, items: [{ productId: "a", quantity: 1 }, { productId: "a", quantity: 2 }] }, "items"],
    [{ ...valid, items: [{ productId: "a", quantity: 0 }] }, "items.0.quantity"],
    [{ ...valid, items: [{ productId: "a", quantity: 100 }] }, "items.0.quantity"],
    [{ ...valid, items: [{ productId: "a", quantity: 1.5 }] }, "items.0.quantity"],
    [{ ...valid, items: [{ productId: "a", quantity: "2" }] }, "items.0.quantity"],
    [{ ...valid, items: [{ productId: "", quantity: 1 }] }, "items.0.productId"],
    [{ ...valid, customer: { name: "", email: "ada@example.com" } }, "customer.name"],
    [{ ...valid, customer: { name: "x".repeat(201), email: "ada@example.com" } }, "customer.name"],
    [{ ...valid, customer: { name: "Ada\u0000", email: "ada@example.com" } }, "customer.name"],
    [{ ...valid, customer: { name: "Ada\u009f", email: "ada@example.com" } }, "customer.name"],
    [{ ...valid, customer: { name: "Ada", email: "not-an-email" } }, "customer.email"],
    [{ items: valid.items }, "customer"],
  ])("rejects %j at %s", (input, path) => {
    expect(paths(input)).toContain(path);
  });

  test("accepts 50 distinct items and quantities 1 and 99", () => {
    const items = Array.from({ length: 50 }, (_, i) => ({ productId: `p${i}`, quantity: i % 2 ? 1 : 99 }));
    expect(v.is(PlaceOrderRequest, { ...valid, items })).toBe(true);
  });
});

describe("Idempotency-Key", () => {
  test("is 1..255 printable ASCII characters", () => {
    expect(v.is(IdempotencyKey, "a")).toBe(true);
    expect(v.is(IdempotencyKey, "k".repeat(255))).toBe(true);
    expect(v.is(IdempotencyKey, "")).toBe(false);
    expect(v.is(IdempotencyKey, "k".repeat(256))).toBe(false);
    expect(v.is(IdempotencyKey, "café")).toBe(false);
    expect(v.is(IdempotencyKey, "tab\there")).toBe(false);
  });
});

describe("order list query", () => {
  test("limit defaults to 20 and stays within 1..100", () => {
    expect(v.parse(OrderListQuery, {}).limit).toBe(20);
    expect(v.parse(OrderListQuery, { limit: "100" }).limit).toBe(100);
    for (const bad of ["0", "101", "-1", "abc", "1e2"]) expect(v.is(OrderListQuery, { limit: bad })).toBe(false);
  });
});

describe("the shipping address", () => {
  test("is required, each line 1..200 characters after trimming, line2 optional", () => {
    const { shippingAddress: _, ...without } = valid;
    expect(paths(without)).toEqual(["shippingAddress"]);
    expect(paths({ ...valid, shippingAddress: { ...shippingAddress, line2: "Flat 3" } })).toEqual([]);
    expect(paths({ ...valid, shippingAddress: { ...shippingAddress, line2: "" } })).toEqual([]);
    expect(paths({ ...valid, shippingAddress: { ...shippingAddress, line1: "   " } })).toEqual(["shippingAddress.line1"]);
    expect(paths({ ...valid, shippingAddress: { ...shippingAddress, city: "x".repeat(201) } })).toEqual(["shippingAddress.city"]);
    expect(paths({ ...valid, shippingAddress: { ...shippingAddress, postalCode: "x".repeat(200) } })).toEqual([]);
    expect(paths({ ...valid, shippingAddress: { ...shippingAddress, name: "Ada\u0007" } })).toEqual(["shippingAddress.name"]);
  });

  test.each([["GB", true], ["US", true], ["gb", false], ["UK", false], ["XK", false], ["EU", false], ["GBR", false], ["", false]])("country %p accepted: %p", (country, ok) => {
    expect(paths({ ...valid, shippingAddress: { ...shippingAddress, country } })).toEqual(ok ? [] : ["shippingAddress.country"]);
  });
});

describe("no control characters", () => {
  test("refuses exactly Unicode's Cc, every code point checked", () => {
    const named = (c: string) => ({ ...valid, customer: { name: `A${c}da`, email: "ada@example.com" } });
    const refused: number[] = [];
    const cc: number[] = [];
    for (let code = 0; code <= 0x10ffff; code += code < 0x3000 ? 1 : 0x101) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const c = String.fromCodePoint(code);
      if (/\p{Cc}/u.test(c)) cc.push(code);
      if (!v.is(PlaceOrderRequest, named(c))) refused.push(code);
    }
    expect(refused).toEqual(cc);
    expect(cc.length).toBe(65);
  });
});
