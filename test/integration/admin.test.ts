import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createProduct, orderRow } from "../support/db.ts";
import { deadLetterFor, orderPlacedForMissingOrder, storePlacedOrder } from "../support/deadLetters.ts";
import { customer, shippingAddress, readStatusEvents, session } from "../support/http.ts";
import { endOffsets, groups, produce, stopProducing, topics, watch, type Watcher } from "../support/kafka.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

const ADMIN_TOKEN = `admin-${crypto.randomUUID()}`;
const asAdmin = { authorization: `Bearer ${ADMIN_TOKEN}` };
let shop: RunningShop;
let watcher: Watcher;

beforeAll(async () => {
  [shop, watcher] = await Promise.all([startShop({ ADMIN_TOKEN }, "admin"), watch([topics.placed, topics.confirmed, topics.dlq])]);
}, 120_000);
afterAll(async () => {
  await stopProducing();
  await watcher?.stop();
  expect(await shop?.stop()).toBe(0);
}, 30_000);

const admin = (path: string, init: RequestInit = {}) => fetch(`${shop.url}${path}`, { ...init, headers: { ...asAdmin, ...init.headers as Record<string, string> } });
const replay = (id: string) => admin(`/api/admin/dead-letters/${id}/replay`, { method: "POST" });

async function expectError(response: Response, status: number, code: string) {
  expect({ status: response.status, code: (await response.json()).error?.code }).toEqual({ status, code });
}

describe("admin API", () => {
  test("every admin path answers 401 unauthorized without the admin token or with another one", async () => {
    const requests: [string, string][] = [
      ["GET", "/api/admin/overview"], ["GET", "/api/admin/dead-letters"], ["POST", "/api/admin/dead-letters/1/replay"], ["GET", "/api/admin/nothing-here"],
    ];
    for (const [method, path] of requests) {
      await expectError(await fetch(`${shop.url}${path}`, { method }), 401, "unauthorized");
      await expectError(await fetch(`${shop.url}${path}`, { method, headers: { authorization: "Bearer not-the-admin-token" } }), 401, "unauthorized");
      await expectError(await fetch(`${shop.url}${path}`, { method, headers: { authorization: `Basic ${ADMIN_TOKEN}` } }), 401, "unauthorized");
    }
    expect((await admin("/api/admin/overview")).status).toBe(200);
  }, 30_000);

  test("the overview: orders by status, orders per second over 10 minutes, lag of every group on every partition", async () => {
    const productId = await createProduct({ stock: 1 });
    const { id } = await (await session(shop.url).postOrder({ customer, shippingAddress, items: [{ productId, quantity: 1 }] })).json();
    expect((await readStatusEvents(shop.url, id)).at(-1)?.status).toBe("confirmed");

    const overview = await (await admin("/api/admin/overview")).json();
    expect(Object.keys(overview.ordersByStatus).sort()).toEqual(["cancelled", "confirmed", "delivered", "placed", "rejected", "shipped"]);
    expect(overview.ordersByStatus.confirmed).toBeGreaterThanOrEqual(1);
    expect(Object.keys(overview.rejectedByReason).sort()).toEqual(["invalid_order", "out_of_stock", "unknown_product"]);

    const { bucketSeconds, buckets } = overview.ordersPerSecond;
    expect(bucketSeconds).toBe(10);
    expect(buckets).toHaveLength(60);
    const spans = buckets.slice(1).map((b: { at: string }, i: number) => Date.parse(b.at) - Date.parse(buckets[i].at));
    expect(new Set(spans)).toEqual(new Set([10_000]));
    expect(buckets.reduce((sum: number, b: { count: number }) => sum + b.count, 0)).toBeGreaterThanOrEqual(1);

    const ends = await endOffsets([topics.commands, topics.placed, topics.dlq]);
    for (const [group, topic] of [[groups.commands, topics.commands], [groups.events, topics.placed], [groups.deadLetters, topics.dlq]]) {
      const partitions = overview.consumerLag.filter((l: { group: string }) => l.group === group);
      expect(partitions.every((l: { topic: string; lag: number }) => l.topic === topic && l.lag >= 0)).toBe(true);
      expect(partitions.map((l: { partition: number }) => l.partition).sort()).toEqual(ends.find((e) => e.topic === topic)!.offsets.map((o) => o.partition).sort());
    }
    expect(overview.deadLetters.total).toBeGreaterThanOrEqual(overview.deadLetters.waiting);
  }, 60_000);

  test("a garbage message on orders.commands is listed with its reason, where it came from, and its exact bytes", async () => {
    const key = `garbage-${crypto.randomUUID()}`;
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x22]);
    await produce(topics.commands, [{ key, value: bytes, headers: { type: "PlaceOrder", "correlation-id": key } }]);

    const letter = await deadLetterFor(shop.url, ADMIN_TOKEN, key);
    await watcher.until((seen) => seen.some((m) => m.topic === topics.dlq && m.key === key), 30_000, "the dead letter");
    const original = watcher.seen.find((m) => m.topic === topics.dlq && m.key === key)!;
    expect(letter).toMatchObject({
      reason: "not JSON",
      source: { topic: topics.commands, partition: Number(original.headers["dlq-source-partition"]), offset: original.headers["dlq-source-offset"] },
      dlq: { partition: original.partition, offset: original.offset },
      value: { bytes: 5, truncated: false, utf8: false, base64: bytes.toString("base64") },
      headers: { type: "PlaceOrder", "correlation-id": key, "dlq-reason": "not JSON", "dlq-source-topic": topics.commands },
      replayedAt: null,
    });
    expect(Date.parse(letter.deadAt)).toBeGreaterThan(Date.now() - 60_000);
  }, 60_000);

  test("replay: still broken, it is dead-lettered again with its reason; once the cause is fixed, it is processed", async () => {
    const { orderId, value, headers } = await orderPlacedForMissingOrder();
    const first = await deadLetterFor(shop.url, ADMIN_TOKEN, orderId);
    expect(first.reason).toBe(`OrderPlaced for an order that does not exist: ${orderId}`);
    expect(first.headers).toMatchObject({ "dlq-error-class": "unprocessable", "dlq-attempts": "1" });
    expect(first.source.topic).toBe(topics.placed);

    // Replayed before the cause is fixed: the same bytes and headers go back, and fail again.
    const replayed = await replay(first.id);
    expect(replayed.status).toBe(200);
    expect((await replayed.json()).replayedAt).toBeString();
    await watcher.until((seen) => seen.filter((m) => m.topic === topics.placed && m.key === orderId).length === 2, 30_000, "the replayed OrderPlaced");
    const [sent, again] = watcher.seen.filter((m) => m.topic === topics.placed && m.key === orderId);
    expect(again!.raw).toEqual(Buffer.from(value));
    expect(again!.headers).toEqual(headers);
    expect(again!.offset).not.toBe(sent!.offset);

    const second = await deadLetterFor(shop.url, ADMIN_TOKEN, orderId, [first.id]);
    expect(second.reason).toBe(first.reason);
    expect(second.source).toEqual({ topic: topics.placed, partition: again!.partition, offset: again!.offset });
    expect(second.replayedAt).toBeNull();
    await expectError(await replay(first.id), 409, "conflict");

    // The cause fixed: the order exists. The replay is processed: confirmed, and OrderConfirmed published.
    await storePlacedOrder(orderId);
    expect((await replay(second.id)).status).toBe(200);
    await watcher.until((seen) => seen.some((m) => m.topic === topics.confirmed && m.key === orderId), 30_000, "OrderConfirmed");
    const confirmed = watcher.seen.find((m) => m.topic === topics.confirmed && m.key === orderId)!;
    expect(confirmed.json).toMatchObject({ type: "OrderConfirmed", orderId });
    expect(confirmed.headers["correlation-id"]).toBe(headers["correlation-id"]);
    expect((await orderRow(orderId))?.status).toBe("confirmed");

    const letters = (await (await admin("/api/admin/dead-letters?limit=200")).json()).filter((d: { key: string }) => d.key === orderId);
    expect(letters.map((d: { id: string; replayedAt: string | null }) => [d.id, d.replayedAt !== null]).sort()).toEqual([[first.id, true], [second.id, true]].sort());
  }, 90_000);

  test("replay refuses a dead letter whose source topic the shop does not consume, and answers 404 for an unknown id", async () => {
    const key = `elsewhere-${crypto.randomUUID()}`;
    // orders.delivered: nothing of the shop reads it (orders.confirmed, which this test used, has the notifier).
    await produce(topics.dlq, [{ key, value: "{}", headers: { "dlq-reason": "written by hand", "dlq-source-topic": topics.delivered, "dlq-source-partition": "0", "dlq-source-offset": "7" } }]);
    const letter = await deadLetterFor(shop.url, ADMIN_TOKEN, key);
    expect(letter).toMatchObject({ reason: "written by hand", source: { topic: topics.delivered, partition: 0, offset: "7" } });
    await expectError(await replay(letter.id), 409, "conflict");

    await expectError(await replay("999999999999"), 404, "not_found");
    await expectError(await replay("not-an-id"), 404, "not_found");
    await expectError(await admin("/api/admin/dead-letters?limit=201"), 400, "validation_failed");
  }, 60_000);
});
