import { describe, expect, test } from "bun:test";
import { isAdvance, isTerminal, STATUSES } from "../../src/orders/status.ts";

describe("order status", () => {
  test("delivered, rejected and cancelled are terminal: an order's events stream closes on them", () => {
    expect(STATUSES.filter(isTerminal)).toEqual(["delivered", "rejected", "cancelled"]);
  });

  test("an observer that missed a step still sees the newer status as an advance", () => {
    expect(isAdvance("pending", "confirmed")).toBe(true);
    expect(isAdvance("pending", "delivered")).toBe(true);
    expect(isAdvance("placed", "shipped")).toBe(true);
  });

  test("nothing stays, moves backwards, or leaves a terminal status", () => {
    for (const status of STATUSES) expect(isAdvance(status, status)).toBe(false);
    for (const from of STATUSES.filter(isTerminal)) for (const to of STATUSES) expect(isAdvance(from, to)).toBe(false);
    expect(isAdvance("placed", "pending")).toBe(false);
    expect(isAdvance("shipped", "cancelled")).toBe(false);
  });

  test("every pair is an advance exactly when the lifecycle reaches it", () => {
    const advances = STATUSES.flatMap((from) => STATUSES.filter((to) => isAdvance(from, to)).map((to) => `${from}→${to}`));
    expect(advances.sort()).toEqual([
      "pending→placed", "pending→confirmed", "pending→shipped", "pending→delivered", "pending→rejected", "pending→cancelled",
      "placed→confirmed", "placed→shipped", "placed→delivered", "placed→cancelled",
      "confirmed→shipped", "confirmed→delivered", "confirmed→cancelled",
      "shipped→delivered",
    ].sort());
  });
});
