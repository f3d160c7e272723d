import { describe, expect, test } from "bun:test";
import { bisect } from "../../src/kafka/bisect.ts";

describe("bisect", () => {
  test("halves a failed run down to the items at fault: every other item runs, in order, and each one at fault is handed over with the failures above it", async () => {
    const ran: number[][] = [];
    const alone: [number, string[]][] = [];
    await bisect([1, 2, 3, 4, 5], async (items) => {
      if (items.includes(2) || items.includes(5)) throw new Error(`fails: ${items.join(",")}`);
      ran.push([...items]);
    }, () => true, async (item, failures) => { alone.push([item, failures.map((f) => (f as Error).message)]); });
    expect(ran).toEqual([[1], [3], [4]]);
    expect(alone).toEqual([
      [2, ["fails: 1,2,3,4,5", "fails: 1,2,3", "fails: 1,2", "fails: 2"]],
      [5, ["fails: 1,2,3,4,5", "fails: 4,5", "fails: 5"]],
    ]);
  });

  test("a failure `split` does not accept is thrown at once, wherever it happens", async () => {
    const transient = new Error("transient");
    const ran: number[][] = [];
    const running = bisect([1, 2, 3], async (items) => {
      ran.push([...items]);
      if (items.length === 3) throw new Error("permanent");
      throw transient;
    }, (error) => error !== transient, async () => {});
    await expect(running).rejects.toBe(transient);
    expect(ran).toEqual([[1, 2, 3], [1, 2]]);
  });
});
