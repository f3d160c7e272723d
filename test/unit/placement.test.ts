import { describe, expect, test } from "bun:test";
import { decidePlacements, type CatalogEntry } from "../../src/orders/placement.ts";

const catalog = new Map<string, CatalogEntry>([
  ["beans", { name: "Beans", priceCents: 1800, currency: "USD", stock: 3 }],
  ["mug", { name: "Mug", priceCents: 2200, currency: "USD", stock: 10 }],
]);
const customer = { name: "Ada", email: "ada@example.com" };
const command = (orderId: string, items: { productId: string; quantity: number }[]) => ({ orderId, data: { customer, items } });

describe("decidePlacements", () => {
  test("prices an order from the catalog and reserves its stock", () => {
    const { placements, reserved } = decidePlacements([command("o1", [{ productId: "beans", quantity: 2 }, { productId: "mug", quantity: 1 }])], catalog);
    expect(placements).toEqual([{
      orderId: "o1", status: "placed", currency: "USD", totalCents: 2 * 1800 + 2200,
      items: [
        { productId: "beans", name: "Beans", quantity: 2, unitPriceCents: 1800 },
        { productId: "mug", name: "Mug", quantity: 1, unitPriceCents: 2200 },
      ],
    }]);
    expect(reserved).toEqual(new Map([["beans", 2], ["mug", 1]]));
  });

  test("many orders for one product in one batch never take more than its stock", () => {
    const commands = Array.from({ length: 5 }, (_, i) => command(`o${i}`, [{ productId: "beans", quantity: 1 }]));
    const { placements, reserved } = decidePlacements(commands, catalog);
    expect(placements.map((p) => p.status)).toEqual(["placed", "placed", "placed", "rejected", "rejected"]);
    expect(placements.slice(3).map((p) => p.status === "rejected" && p.reason)).toEqual(["out_of_stock", "out_of_stock"]);
    expect(reserved.get("beans")).toBe(3);
  });

  test("an order short of one product takes nothing at all", () => {
    const { placements, reserved } = decidePlacements([command("o1", [{ productId: "mug", quantity: 2 }, { productId: "beans", quantity: 4 }])], catalog);
    expect(placements[0]).toMatchObject({ status: "rejected", reason: "out_of_stock" });
    expect(reserved.size).toBe(0);
  });

  test("a later, smaller order can still use stock a rejected order left", () => {
    const { placements } = decidePlacements([
      command("big", [{ productId: "beans", quantity: 4 }]),
      command("small", [{ productId: "beans", quantity: 3 }]),
    ], catalog);
    expect(placements.map((p) => p.status)).toEqual(["rejected", "placed"]);
  });

  test("an unknown product rejects the order as unknown_product", () => {
    const { placements } = decidePlacements([command("o1", [{ productId: "nope", quantity: 1 }])], catalog);
    expect(placements[0]).toMatchObject({ status: "rejected", reason: "unknown_product" });
  });

  test.each([
    ["no items", []],
    ["a zero quantity", [{ productId: "mug", quantity: 0 }]],
    ["a quantity over 99", [{ productId: "mug", quantity: 100 }]],
    ["a product twice", [{ productId: "mug", quantity: 1 }, { productId: "mug", quantity: 1 }]],
  ])("an order with %s is rejected as invalid_order", (_, items) => {
    const { placements, reserved } = decidePlacements([command("o1", items)], catalog);
    expect(placements[0]).toMatchObject({ status: "rejected", reason: "invalid_order", items: [] });
    expect(reserved.size).toBe(0);
  });

  test("a customer without a valid email is rejected as invalid_order", () => {
    const { placements } = decidePlacements([{ orderId: "o1", data: { customer: { name: "A", email: "nope" }, items: [{ productId: "mug", quantity: 1 }] } }], catalog);
    expect(placements[0]).toMatchObject({ status: "rejected", reason: "invalid_order" });
  });
});

describe("decidePlacements: the ledger", () => {
  test("each placed order's lines become movements with the stock left after them, rejected ones none", () => {
    const { movements } = decidePlacements([
      command("o1", [{ productId: "beans", quantity: 2 }, { productId: "mug", quantity: 1 }]),
      command("o2", [{ productId: "beans", quantity: 2 }]),
      command("o3", [{ productId: "beans", quantity: 1 }]),
    ], catalog);
    expect(movements).toEqual([
      { orderId: "o1", productId: "beans", delta: -2, stockAfter: 1 },
      { orderId: "o1", productId: "mug", delta: -1, stockAfter: 9 },
      { orderId: "o3", productId: "beans", delta: -1, stockAfter: 0 },
    ]);
  });
});
