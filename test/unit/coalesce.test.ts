import { describe, expect, test } from "bun:test";
import { coalesce } from "../../src/kafka/middleware/coalesce.ts";

describe("coalesce", () => {
  test("batches handed over together become one call; those arriving during it, the next", async () => {
    const calls: number[][] = [];
    let release!: () => void;
    const handler = coalesce<number>(async (items) => {
      calls.push(items);
      if (calls.length === 1) await new Promise<void>((r) => { release = r; });
    });
    const first = [handler([1, 2]), handler([3])];
    await Bun.sleep(1);
    const second = [handler([4]), handler([5, 6])];
    await Bun.sleep(1);
    expect(calls).toEqual([[1, 2, 3]]);
    release();
    await Promise.all([...first, ...second]);
    expect(calls).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  test("a failed call fails exactly the batches it carried", async () => {
    let call = 0;
    const handler = coalesce<number>(async () => {
      call++;
      await Bun.sleep(1);
      if (call === 1) throw new Error("db down");
    });
    const a = handler([1]);
    const b = handler([2]);
    await Bun.sleep(0);
    const c = handler([3]);
    const [ra, rb, rc] = await Promise.allSettled([a, b, c]);
    expect([ra.status, rb.status, rc.status]).toEqual(["rejected", "rejected", "fulfilled"]);
  });

  test("never puts more than maxItems in one call, unless a single batch is larger", async () => {
    const sizes: number[] = [];
    const handler = coalesce<number>(async (items) => { sizes.push(items.length); }, 3);
    await Promise.all([handler([1, 2]), handler([3, 4]), handler([5, 6, 7, 8])]);
    expect(sizes).toEqual([2, 2, 4]);
  });
});
