import { describe, expect, test } from "bun:test";
import { isAdvance, isTerminal, STATUSES } from "../../src/orders/status.ts";

describe("order status", () => {
  test("only confirmed and rejected are terminal", () => {
    expect(STATUSES.filter(isTerminal)).toEqual(["confirmed", "rejected"]);
  });

  test("the lifecycle moves pending → placed → confirmed, or pending → rejected", () => {
    expect(isAdvance("pending", "placed")).toBe(true);
    expect(isAdvance("placed", "confirmed")).toBe(true);
    expect(isAdvance("pending", "rejected")).toBe(true);
  });

  test("an observer that missed a step still sees the newer status as an advance", () => {
    expect(isAdvance("pending", "confirmed")).toBe(true);
  });

  test("nothing stays, moves backwards, or leaves a terminal status", () => {
    for (const status of STATUSES) expect(isAdvance(status, status)).toBe(false);
    for (const to of STATUSES) {
      expect(isAdvance("confirmed", to)).toBe(false);
      expect(isAdvance("rejected", to)).toBe(false);
    }
    expect(isAdvance("placed", "pending")).toBe(false);
    expect(isAdvance("placed", "rejected")).toBe(false);
  });

  test("every pair is an advance exactly when the lifecycle reaches it", () => {
    const advances = STATUSES.flatMap((from) => STATUSES.filter((to) => isAdvance(from, to)).map((to) => `${from}→${to}`));
    expect(advances).toEqual(["pending→placed", "pending→confirmed", "pending→rejected", "placed→confirmed"]);
  });
});
