import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { envelope } from "../../src/orders/envelope.ts";
import { SEED, unstorableText } from "../support/arbitraries.ts";
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

const COMMAND_TYPES = ["PlaceOrder", "CancelOrder", "ShipOrder", "DeliverOrder"];
/** Kafka refuses a produce request whose batch for one partition is over 1 MiB: the test sends less at a time. */
const MAX_SEND_BYTES = 900_000;

function validCommand(productId: string) {
  const orderId = crypto.randomUUID();
  return {
    orderId,
    value: JSON.stringify(envelope("PlaceOrder", orderId, { customer: { name: "Valid", email: "valid@example.com" }, items: [{ productId, quantity: 1 }] })),
  };
}

const notObject = fc.jsonValue().filter((j) => typeof j !== "object" || j === null || Array.isArray(j));
const notArray = fc.jsonValue().filter((j) => !Array.isArray(j));
/** Never a uuid: not a string, or a string too short to be one. */
const notUuid = fc.oneof(fc.jsonValue().filter((j) => typeof j !== "string"), fc.string({ maxLength: 35 }));
/**
 * PlaceOrder commands broken beyond repair, generated: bytes that are not UTF-8 JSON, JSON that is
 * not an object, a valid command cut short, each envelope field and each data field of the wrong
 * type or out of bounds, and commands too large to be one.
 */
function malformed(productId: string): fc.Arbitrary<Buffer | string> {
  const good = fc.uuid({ version: 4 }).map((id) => envelope("PlaceOrder", id, { customer: { name: "Bad", email: "bad@example.com" }, items: [{ productId, quantity: 1 }] }));
  const withField = (field: string, value: fc.Arbitrary<unknown>) => fc.tuple(good, value).map(([g, x]) => JSON.stringify({ ...g, [field]: x }));
  const withData = (patch: fc.Arbitrary<object>) => fc.tuple(good, patch).map(([g, p]) => JSON.stringify({ ...g, data: { ...g.data, ...p } }));
  const line = (patch: fc.Arbitrary<object>) => patch.map((p) => ({ items: [{ productId, quantity: 1, ...p }] }));
  return fc.oneof(
    fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
    notObject.map((j) => JSON.stringify(j)),
    fc.tuple(good, fc.nat()).map(([g, n]) => {
      const whole = JSON.stringify(g);
      return whole.slice(0, n % whole.length);
    }),
    withField("type", fc.jsonValue().filter((j) => !COMMAND_TYPES.includes(j as string))),
    withField("version", fc.jsonValue().filter((j) => j !== 1)),
    withField("id", notUuid),
    withField("orderId", notUuid),
    withField("occurredAt", fc.oneof(fc.jsonValue().filter((j) => typeof j !== "string"), fc.string({ maxLength: 19 }))),
    withField("data", notObject),
    withData(fc.record({ customer: notObject })),
    withData(fc.record({ customer: fc.record({ name: fc.oneof(unstorableText, fc.integer({ min: 1_001, max: 300_000 }).map((n) => "x".repeat(n))), email: fc.constant("a@b.co") }) })),
    withData(fc.record({ items: notArray })),
    withData(fc.integer({ min: 1_001, max: 5_000 }).map((n) => ({ items: Array.from({ length: n }, (_, i) => ({ productId: `p${i}`, quantity: 1 })) }))),
    withData(line(fc.record({ productId: fc.oneof(fc.jsonValue().filter((j) => typeof j !== "string"), fc.constant(""), unstorableText) }))),
    withData(line(fc.record({ quantity: fc.oneof(fc.jsonValue().filter((j) => typeof j !== "number"), fc.double().filter((d) => !Number.isSafeInteger(d)), fc.constant(2 ** 53)) }))),
  );
}

describe("faults: poison messages", () => {
  test("1,000 generated malformed messages interleaved with valid commands: each malformed one is dead-lettered with its reason, each valid one processed", async () => {
    const productId = await createProduct({ stock: 1_000 });
    const generated = fc.sample(malformed(productId), { seed: SEED, numRuns: 1_000 });
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
        const value = generated.pop()!;
        bad.push({ key, value });
        messages.push({ key, value, headers: { type: "PlaceOrder", "correlation-id": `bad-${i}` } });
      }
    }
    for (let i = 0; i < messages.length;) {
      const chunk = [];
      for (let bytes = 0; i < messages.length && (chunk.length === 0 || bytes + Buffer.byteLength(messages[i]!.value) < MAX_SEND_BYTES); i++) {
        bytes += Buffer.byteLength(messages[i]!.value);
        chunk.push(messages[i]!);
      }
      await produce(topics.commands, chunk);
    }

    const badKeys = new Set(bad.map((b) => b.key));
    const deadLetters = () => new Map(watcher.seen.filter((m) => m.topic === topics.dlq && badKeys.has(m.key!)).map((m) => [m.key!, m]));
    await watcher.until(() => deadLetters().size === bad.length, 120_000, `a dead letter for each of 1,000 malformed messages (replay: FC_SEED=${SEED})`);
    const dead = deadLetters();
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
