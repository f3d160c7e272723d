import { describe, expect, test } from "bun:test";
import { decide, type LifecycleCommand, type OrderState } from "../../src/orders/lifecycle.ts";
import { isAdvance, STATUSES } from "../../src/orders/status.ts";

const items = [{ productId: "prd_a", quantity: 2 }, { productId: "prd_b", quantity: 1 }];
const order = (status: OrderState["status"]): OrderState => ({ status, items });

const commands: Record<string, LifecycleCommand> = {
  "cancel by customer": { type: "CancelOrder", data: { by: "customer", reason: "wrong tea" } },
  "cancel by admin": { type: "CancelOrder", data: { by: "admin" } },
  ship: { type: "ShipOrder", data: { carrier: "DHL", trackingNumber: "JD0001" } },
  deliver: { type: "DeliverOrder", data: {} },
};

/** For every stored status and command, what the order's rules decide: the new status, or the refusal. */
const expected: Record<string, Record<string, string>> = {
  placed: { "cancel by customer": "cancelled", "cancel by admin": "cancelled", ship: "not_shippable", deliver: "not_deliverable" },
  confirmed: { "cancel by customer": "cancelled", "cancel by admin": "cancelled", ship: "shipped", deliver: "not_deliverable" },
  shipped: { "cancel by customer": "not_cancellable", "cancel by admin": "not_cancellable", ship: "not_shippable", deliver: "delivered" },
  delivered: { "cancel by customer": "not_cancellable", "cancel by admin": "not_cancellable", ship: "not_shippable", deliver: "not_deliverable" },
  rejected: { "cancel by customer": "not_cancellable", "cancel by admin": "not_cancellable", ship: "not_shippable", deliver: "not_deliverable" },
  cancelled: { "cancel by customer": "not_cancellable", "cancel by admin": "not_cancellable", ship: "not_shippable", deliver: "not_deliverable" },
};

describe("the order's rules", () => {
  const stored = STATUSES.filter((s) => s !== "pending");
  test("the table covers every stored status", () => expect(Object.keys(expected).sort()).toEqual([...stored].sort()));

  for (const status of stored) {
    for (const [name, command] of Object.entries(commands)) {
      test(`${status} × ${name} → ${expected[status]![name]}`, () => {
        const decision = decide(order(status), command);
        const outcome = "refused" in decision ? decision.refused : decision.status;
        expect(outcome as string).toBe(expected[status]![name]!);
        // Whatever is allowed moves the order forward, never back.
        if (!("refused" in decision)) expect(isAdvance(status, decision.status)).toBe(true);
      });
    }
  }

  test("an order not in the database refuses every command as unknown_order", () => {
    for (const command of Object.values(commands)) expect(decide(undefined, command)).toEqual({ refused: "unknown_order" });
  });

  test("a cancellation returns every reserved unit, with who cancelled and why", () => {
    expect(decide(order("confirmed"), commands["cancel by customer"]!)).toEqual({
      status: "cancelled",
      event: { type: "OrderCancelled", data: { by: "customer", reason: "wrong tea", returned: items } },
    });
    expect(decide(order("placed"), commands["cancel by admin"]!)).toEqual({
      status: "cancelled", event: { type: "OrderCancelled", data: { by: "admin", returned: items } },
    });
  });

  test("shipping carries the carrier and tracking number", () => {
    expect(decide(order("confirmed"), commands.ship!)).toEqual({
      status: "shipped", event: { type: "OrderShipped", data: { carrier: "DHL", trackingNumber: "JD0001" } },
    });
  });
});
