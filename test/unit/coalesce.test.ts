import { describe, expect, test } from "bun:test";
import type { Casualty, Inbound } from "../../src/kafka/message.ts";
import { coalesce } from "../../src/kafka/middleware/coalesce.ts";

const message = (n: number): Inbound => ({
  topic: "t", partition: 0, offset: String(n), key: null, value: null, headers: {}, rawHeaders: {}, headerFault: null, timestamp: new Date(0),
});
const offsets = (messages: readonly { offset: string }[]) => messages.map((m) => Number(m.offset));

describe("coalesce", () => {
  test("batches handed over together become one call; those arriving during it, the next", async () => {
    const calls: number[][] = [];
    let release!: () => void;
    const run = coalesce()(async (messages) => {
      calls.push(offsets(messages));
      if (calls.length === 1) await new Promise<void>((r) => { release = r; });
      return [];
    });
    const first = [run([1, 2].map(message)), run([message(3)])];
    await Bun.sleep(1);
    const second = [run([message(4)]), run([5, 6].map(message))];
    await Bun.sleep(1);
    expect(calls).toEqual([[1, 2, 3]]);
    release();
    await Promise.all([...first, ...second]);
    expect(calls).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  test("each batch learns of its own casualties only", async () => {
    const run = coalesce()(async (messages) =>
      messages.filter((m) => Number(m.offset) % 2 === 0).map((m): Casualty => ({ message: m, failure: { class: "internal", transient: false, message: "x" }, attempts: 1 })));
    const [a, b] = await Promise.all([run([1, 2].map(message)), run([3, 4, 6].map(message))]);
    expect([offsets(a.map((c) => c.message)), offsets(b.map((c) => c.message))]).toEqual([[2], [4, 6]]);
  });

  test("a failed call fails exactly the batches it carried", async () => {
    let call = 0;
    const run = coalesce()(async () => {
      call++;
      await Bun.sleep(1);
      if (call === 1) throw new Error("db down");
      return [];
    });
    const a = run([message(1)]);
    const b = run([message(2)]);
    await Bun.sleep(0);
    const c = run([message(3)]);
    const [ra, rb, rc] = await Promise.allSettled([a, b, c]);
    expect([ra.status, rb.status, rc.status]).toEqual(["rejected", "rejected", "fulfilled"]);
  });

  test("never puts more than maxItems in one call, unless a single batch is larger", async () => {
    const sizes: number[] = [];
    const run = coalesce(3)(async (messages) => { sizes.push(messages.length); return []; });
    await Promise.all([run([1, 2].map(message)), run([3, 4].map(message)), run([5, 6, 7, 8].map(message))]);
    expect(sizes).toEqual([2, 2, 4]);
  });
});
