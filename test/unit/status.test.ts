import { describe, expect, test } from "bun:test";
import { canTransition, isAdvance, isTerminal, STATUSES } from "../../src/orders/status.ts";

describe("order status", () => {
  test("only confirmed and rejected are terminal", () => {
    expect(STATUSES.filter(isTerminal)).toEqual(["confirmed", "rejected"]);
  });

  test("the lifecycle moves pending → placed → confirmed, or pending → rejected", () => {
    expect(canTransition("pending", "placed")).toBe(true);
    expect(canTransition("placed", "confirmed")).toBe(true);
    expect(canTransition("pending", "rejected")).toBe(true);
  });

  test("nothing moves backwards or out of a terminal status", () => {
    for (const to of STATUSES) {
      expect(canTransition("confirmed", to)).toBe(false);
      expect(canTransition("rejected", to)).toBe(false);
    }
    expect(canTransition("placed", "pending")).toBe(false);
    expect(canTransition("placed", "rejected")).toBe(false);
    expect(canTransition("pending", "confirmed")).toBe(false);
  });

  test("an observer that missed a step still sees the newer status as an advance", () => {
    expect(isAdvance("pending", "confirmed")).toBe(true);
    expect(isAdvance("pending", "rejected")).toBe(true);
    expect(isAdvance("placed", "placed")).toBe(false);
    expect(isAdvance("confirmed", "placed")).toBe(false);
    expect(isAdvance("placed", "rejected")).toBe(false);
  });
});
