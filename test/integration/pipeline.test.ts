import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { jsonMessage } from "../../src/kafka/message.ts";
import { envelope } from "../../src/orders/envelope.ts";
import { createProduct, sql, stockOf } from "../support/db.ts";
import { customer, shippingAddress, readStatusEvents, session } from "../support/http.ts";
import { produce, stopProducing, topics, watch, type Watcher } from "../support/kafka.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

const TOPICS = [topics.commands, topics.placed, topics.rejected, topics.confirmed, topics.dlq];
let shop: RunningShop;
let watcher: Watcher;

beforeAll(async () => {
  shop = await startShop({}, "pipeline");
  watcher = await watch(TOPICS);
});

afterAll(async () => {
  await stopProducing();
  await watcher?.stop();
  expect(await shop?.stop()).toBe(0);
});

const terminal = (orderId: string) => (seen: Watcher["seen"]) =>
  seen.some((m) => m.key === orderId && (m.topic === topics.confirmed || m.topic === topics.rejected));

describe("the order pipeline, on the compiled binary, real Kafka and real PostgreSQL", () => {
  test("an order goes pending → placed → confirmed, over SSE and on the three topics", async () => {
    const productId = await createProduct({ stock: 5, priceCents: 1250 });
    const browser = session(shop.url);
    const response = await browser.postOrder({ customer, shippingAddress, items: [{ productId, quantity: 2 }] });
    expect(response.status).toBe(202);
    const { id, status } = await response.json();
    expect(status).toBe("pending");
    expect(response.headers.get("location")).toBe(`/api/orders/${id}`);
    const requestId = response.headers.get("x-request-id")!;

    const events = await readStatusEvents(shop.url, id);
    const statuses = events.map((e) => e.status);
    expect(statuses.at(-1)).toBe("confirmed");
    expect(["pending", "placed"].includes(statuses[0]!) || statuses[0] === "confirmed").toBe(true);
    expect(statuses).toEqual([...new Set(statuses)]);
    for (const e of events) expect(Object.keys(e).sort()).toEqual(["at", "id", "status"]);

    const onTopics = [topics.commands, topics.placed, topics.confirmed];
    await watcher.until((seen) => onTopics.every((t) => seen.some((m) => m.key === id && m.topic === t)), 30_000, "the order on three topics");
    const messages = watcher.forOrder(id);
    const byTopic = (t: string) => messages.filter((m) => m.topic === t);
    const [command] = byTopic(topics.commands);
    const [placed] = byTopic(topics.placed);
    const [confirmed] = byTopic(topics.confirmed);
    expect(command!.json).toMatchObject({ type: "PlaceOrder", orderId: id, version: 1, data: { customer, shippingAddress, items: [{ productId, quantity: 2 }] } });
    expect(command!.json.data.owner).toBeString();
    expect(placed!.json).toMatchObject({ type: "OrderPlaced", orderId: id, version: 1, data: { items: [{ productId, quantity: 2, unitPriceCents: 1250 }], totalCents: 2500, currency: "USD" } });
    expect(confirmed!.json).toMatchObject({ type: "OrderConfirmed", orderId: id, version: 1, data: {} });
    for (const m of [command!, placed!, confirmed!]) {
      expect(m.headers.type).toBe(m.json.type);
      expect(m.headers["correlation-id"]).toBe(requestId);
      expect(m.json.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Date(m.json.occurredAt).toISOString()).toBe(m.json.occurredAt);
    }

    const order = await (await browser.request(`/api/orders/${id}`)).json();
    expect(order).toMatchObject({
      id, status: "confirmed", customer, totalCents: 2500, currency: "USD",
      items: [{ productId, name: "Test product", quantity: 2, unitPriceCents: 1250 }],
    });
    expect(order.reason).toBeUndefined();
    expect(await stockOf(productId)).toBe(3);
  });

  test("ordering more than the stock is rejected as out_of_stock and leaves the stock alone", async () => {
    const productId = await createProduct({ stock: 2 });
    const browser = session(shop.url);
    const { id } = await (await browser.postOrder({ customer, shippingAddress, items: [{ productId, quantity: 3 }] })).json();
    const events = await readStatusEvents(shop.url, id);
    expect(events.at(-1)).toMatchObject({ id, status: "rejected", reason: "out_of_stock" });
    await watcher.until(terminal(id));
    const rejected = watcher.forOrder(id).find((m) => m.topic === topics.rejected);
    expect(rejected!.json).toMatchObject({ type: "OrderRejected", orderId: id, data: { reason: "out_of_stock" } });
    expect(await (await browser.request(`/api/orders/${id}`)).json()).toMatchObject({ status: "rejected", reason: "out_of_stock" });
    expect(await stockOf(productId)).toBe(2);
  });

  test("40 concurrent orders of one unit for a product with stock 10: exactly 10 confirmed, 30 rejected", async () => {
    const productId = await createProduct({ stock: 10 });
    const browser = session(shop.url);
    const responses = await Promise.all(Array.from({ length: 40 }, () => browser.postOrder({ customer, shippingAddress, items: [{ productId, quantity: 1 }] })));
    expect(responses.map((r) => r.status)).toEqual(Array(40).fill(202));
    const ids: string[] = await Promise.all(responses.map(async (r) => (await r.json()).id));
    expect(new Set(ids).size).toBe(40);
    await watcher.until((seen) => ids.every((id) => terminal(id)(seen)), 60_000, "40 outcomes");
    const outcomes = ids.map((id) => watcher.forOrder(id).filter((m) => m.topic === topics.confirmed || m.topic === topics.rejected));
    expect(outcomes.filter((o) => o[0]!.topic === topics.confirmed)).toHaveLength(10);
    expect(outcomes.filter((o) => o[0]!.topic === topics.rejected && o[0]!.json.data.reason === "out_of_stock")).toHaveLength(30);
    expect(await stockOf(productId)).toBe(0);
    const [{ count }] = await sql<[{ count: number }]>`SELECT count(*)::int AS count FROM orders o JOIN order_items i ON i.order_id = o.id WHERE i.product_id = ${productId} AND o.status = 'confirmed'`;
    expect(count).toBe(10);
  });

  test("the same Idempotency-Key twice, at once, gives one order and one id", async () => {
    const productId = await createProduct({ stock: 10 });
    const browser = session(shop.url);
    const key = `key-${crypto.randomUUID()}`;
    const body = { customer, shippingAddress, items: [{ productId, quantity: 1 }] };
    const [a, b] = await Promise.all([browser.postOrder(body, { "Idempotency-Key": key }), browser.postOrder(body, { "Idempotency-Key": key })]);
    expect([a!.status, b!.status]).toEqual([202, 202]);
    const [idA, idB] = [(await a!.json()).id, (await b!.json()).id];
    expect(idA).toBe(idB);
    await readStatusEvents(shop.url, idA);
    const [{ count }] = await sql<[{ count: number }]>`SELECT count(*)::int AS count FROM order_items WHERE product_id = ${productId}`;
    expect(count).toBe(1);
    expect(await stockOf(productId)).toBe(9);
    const other = await browser.postOrder(body, { "Idempotency-Key": `key-${crypto.randomUUID()}` });
    expect((await other.json()).id).not.toBe(idA);
  });

  test("a PlaceOrder written straight to orders.commands by a kafkajs producer of its own is processed", async () => {
    const productId = await createProduct({ stock: 3, priceCents: 700 });
    const orderId = crypto.randomUUID();
    const command = envelope("PlaceOrder", orderId, { customer: { name: "Grace Hopper", email: "grace@example.com" }, items: [{ productId, quantity: 3 }] });
    await produce(topics.commands, [jsonMessage(topics.commands, orderId, command, { "correlation-id": "external-producer" })]);
    await watcher.until(terminal(orderId), 30_000, "the external order's outcome");
    const confirmed = watcher.forOrder(orderId).find((m) => m.topic === topics.confirmed);
    expect(confirmed?.headers["correlation-id"]).toBe("external-producer");
    expect(await stockOf(productId)).toBe(0);
  });

  test("garbage on orders.commands goes to orders.dlq with its reason, and the next order still confirms", async () => {
    const garbageKey = `garbage-${crypto.randomUUID()}`;
    const garbage = ["{not json", JSON.stringify({ type: "PlaceOrder", version: 1 }), JSON.stringify({ hello: "world" })];
    await produce(topics.commands, garbage.map((value) => ({ key: garbageKey, value })));

    const productId = await createProduct({ stock: 1 });
    const { id } = await (await session(shop.url).postOrder({ customer, shippingAddress, items: [{ productId, quantity: 1 }] })).json();

    await watcher.until((seen) => seen.filter((m) => m.topic === topics.dlq && m.key === garbageKey).length === 3, 30_000, "3 dead letters");
    const dead = watcher.seen.filter((m) => m.topic === topics.dlq && m.key === garbageKey);
    expect(dead.map((m) => m.value)).toEqual(garbage);
    expect(dead[0]!.headers["dlq-reason"]).toBe("not JSON");
    expect(dead[1]!.headers["dlq-reason"]).toStartWith("schema: ");
    for (const m of dead) {
      expect(m.headers["dlq-source-topic"]).toBe(topics.commands);
      expect(Number(m.headers["dlq-source-partition"])).toBeGreaterThanOrEqual(0);
      expect(Number(m.headers["dlq-source-offset"])).toBeGreaterThanOrEqual(0);
    }
    expect((await readStatusEvents(shop.url, id)).at(-1)?.status).toBe("confirmed");
  });
});
