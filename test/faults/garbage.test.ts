import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { envelope } from "../../src/orders/envelope.ts";
import { createProduct } from "../support/db.ts";
import { expectInvariants } from "../support/invariants.ts";
import { produce, stopProducing, topics, watch, type Watcher } from "../support/kafka.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

let shop: RunningShop;
let watcher: Watcher;

beforeAll(async () => {
  shop = await startShop({}, "garbage");
  watcher = await watch([topics.placed, topics.rejected, topics.confirmed, topics.dlq]);
});
afterAll(async () => {
  await stopProducing();
  await watcher?.stop();
  expect(await shop?.stop()).toBe(0);
});

const randomBytes = (n: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(n)));
const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;

function validCommand(productId: string) {
  const orderId = crypto.randomUUID();
  return {
    orderId,
    value: JSON.stringify(envelope("PlaceOrder", orderId, { customer: { name: "Valid", email: "valid@example.com" }, items: [{ productId, quantity: 1 }] })),
  };
}

/** Ways a message on orders.commands can be broken beyond repair. */
function malformed(productId: string): Buffer | string {
  const good = JSON.parse(validCommand(productId).value);
  const kinds: (() => Buffer | string)[] = [
    () => randomBytes(1 + Math.floor(Math.random() * 200)),
    () => "",
    () => "null",
    () => "[1,2,3]",
    () => `{"type":"PlaceOrder",`,
    () => JSON.stringify({ ...good, version: 2 }),
    () => JSON.stringify({ ...good, version: "1" }),
    () => JSON.stringify({ ...good, type: "CancelOrder" }),
    () => JSON.stringify({ ...good, orderId: 42 }),
    () => JSON.stringify({ ...good, orderId: "not-a-uuid" }),
    () => JSON.stringify({ ...good, occurredAt: "yesterday" }),
    () => JSON.stringify({ ...good, data: undefined }),
    () => JSON.stringify({ ...good, data: { ...good.data, items: "many" } }),
    () => JSON.stringify({ ...good, data: { ...good.data, items: [{ productId, quantity: "1" }] } }),
    () => JSON.stringify({ ...good, data: { ...good.data, items: [{ productId: 7, quantity: 1 }] } }),
    () => JSON.stringify({ ...good, data: { ...good.data, customer: undefined } }),
    () => JSON.stringify({ ...good, data: { ...good.data, customer: { name: "x".repeat(200_000), email: "a@b.co" } } }),
    () => JSON.stringify({ ...good, data: { ...good.data, items: Array.from({ length: 5_000 }, (_, i) => ({ productId: `p${i}`, quantity: 1 })) } }),
    () => JSON.stringify({ ...good, data: { ...good.data, customer: { name: "nul\u0000byte", email: "a@b.co" } } }),
  ];
  return pick(kinds)();
}

describe("faults: poison messages", () => {
  test("1,000 malformed messages interleaved with valid commands: each malformed one is dead-lettered with its reason, each valid one processed", async () => {
    const productId = await createProduct({ stock: 1_000 });
    const bad: { key: string; value: Buffer | string }[] = [];
    const good: { key: string; value: string }[] = [];
    const messages: { key: string; value: Buffer | string; headers: Record<string, string> }[] = [];
    for (let i = 0; i < 1_100; i++) {
      if (i % 11 === 0) {
        const { orderId, value } = validCommand(productId);
        good.push({ key: orderId, value });
        messages.push({ key: orderId, value, headers: { type: "PlaceOrder", "correlation-id": `valid-${i}` } });
      } else {
        const key = `bad-${crypto.randomUUID()}`;
        const value = malformed(productId);
        bad.push({ key, value });
        messages.push({ key, value, headers: { type: "PlaceOrder", "correlation-id": `bad-${i}` } });
      }
    }
    for (let i = 0; i < messages.length; i += 50) await produce(topics.commands, messages.slice(i, i + 50));

    const badKeys = new Set(bad.map((b) => b.key));
    await watcher.until((seen) => seen.filter((m) => m.topic === topics.dlq && badKeys.has(m.key!)).length >= bad.length, 120_000, "1,000 dead letters");
    const dead = new Map(watcher.seen.filter((m) => m.topic === topics.dlq && badKeys.has(m.key!)).map((m) => [m.key!, m]));
    expect(dead.size).toBe(bad.length);
    for (const { key, value } of bad) {
      const letter = dead.get(key)!;
      expect(letter.headers["dlq-reason"]).toMatch(/^(empty message|not JSON|too large: .+|schema: .+)$/);
      expect(letter.headers["dlq-source-topic"]).toBe(topics.commands);
      expect(letter.headers["dlq-source-offset"]).toMatch(/^\d+$/);
      expect(letter.headers["correlation-id"]).toStartWith("bad-");
      expect(Buffer.compare(letter.raw ?? Buffer.alloc(0), Buffer.from(value))).toBe(0);
    }

    await expectInvariants({ accepted: good.map((g) => g.key), products: new Map([[productId, 1_000]]), watcher });
  }, 180_000);
});
