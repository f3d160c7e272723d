import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { jsonMessage } from "../../src/kafka/message.ts";
import { envelope, type Envelope } from "../../src/orders/envelope.ts";
import { eventId } from "../../src/orders/ids.ts";
import { createProduct, sql, stockOf } from "../support/db.ts";
import { expectLedger } from "../support/invariants.ts";
import { produce, stopProducing, topics, watch, type Watcher } from "../support/kafka.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

let shop: RunningShop;
let watcher: Watcher;

beforeAll(async () => {
  shop = await startShop({}, "crash-window");
  watcher = await watch([topics.placed, topics.rejected, topics.confirmed]);
});
afterAll(async () => {
  await stopProducing();
  await watcher?.stop();
  expect(await shop?.stop()).toBe(0);
});

async function send(topic: string, orderId: string, body: Envelope) {
  await produce(topic, [jsonMessage(topic, orderId, body, { "correlation-id": "crash-window" })]);
}

/**
 * The state a crash leaves between the database commit and the publish: the order is stored (and
 * its stock taken) but no event went out, and the command's offset was never committed, so Kafka
 * delivers the command again. These tests build exactly that state and deliver the command.
 */
describe("faults: a crash between the database commit and the publish", () => {
  test("a redelivered PlaceOrder whose order is already stored publishes the stored outcome, once, and takes no more stock", async () => {
    const productId = await createProduct({ stock: 10, priceCents: 900 });
    const orderId = crypto.randomUUID();
    const committedAt = new Date(Date.now() - 60_000);
    await sql.begin(async (tx) => {
      await tx`INSERT INTO orders (id, status, customer_name, customer_email, total_cents, currency, created_at, updated_at)
               VALUES (${orderId}, 'placed', 'Crash', 'crash@example.com', 1800, 'USD', ${committedAt}, ${committedAt})`;
      await tx`INSERT INTO order_items (order_id, product_id, name, quantity, unit_price_cents) VALUES (${orderId}, ${productId}, 'Test product', 2, 900)`;
      await tx`UPDATE products SET stock = stock - 2 WHERE id = ${productId}`;
      await tx`INSERT INTO stock_movements (product_id, kind, delta, stock_after, order_id, at) VALUES (${productId}, 'order', -2, 8, ${orderId}, ${committedAt})`;
    });

    await send(topics.commands, orderId, envelope("PlaceOrder", orderId, {
      customer: { name: "Crash", email: "crash@example.com" }, items: [{ productId, quantity: 2 }],
    }));

    // The two events travel on two topics, which one consumer reads in no order relative to each
    // other: OrderConfirmed may well be seen first, so wait for both.
    await watcher.until((seen) => [topics.placed, topics.confirmed].every((topic) => seen.some((m) => m.key === orderId && m.topic === topic)), 30_000, "OrderPlaced and OrderConfirmed");
    const placed = watcher.forOrder(orderId).filter((m) => m.topic === topics.placed);
    expect(placed).toHaveLength(1);
    expect(placed[0]!.json).toEqual({
      type: "OrderPlaced", id: eventId(orderId, "OrderPlaced"), orderId, occurredAt: committedAt.toISOString(), version: 1,
      data: { items: [{ productId, quantity: 2, unitPriceCents: 900 }], totalCents: 1800, currency: "USD" },
    });
    expect(await stockOf(productId)).toBe(8);
    await expectLedger([productId]);
    expect((await sql`SELECT status FROM orders WHERE id = ${orderId}`)[0]!.status).toBe("confirmed");
  });

  test("a redelivered OrderPlaced whose order is already confirmed publishes the same OrderConfirmed again", async () => {
    const orderId = crypto.randomUUID();
    const confirmedAt = new Date(Date.now() - 30_000);
    await sql`INSERT INTO orders (id, status, customer_name, customer_email, total_cents, currency, created_at, updated_at)
              VALUES (${orderId}, 'confirmed', 'Crash', 'crash@example.com', 0, 'USD', ${confirmedAt}, ${confirmedAt})`;

    await send(topics.placed, orderId, envelope("OrderPlaced", orderId, { items: [], totalCents: 0, currency: "USD" }));

    await watcher.until((seen) => seen.some((m) => m.key === orderId && m.topic === topics.confirmed), 30_000, "OrderConfirmed");
    const [confirmed] = watcher.forOrder(orderId).filter((m) => m.topic === topics.confirmed);
    expect(confirmed!.json).toEqual({ type: "OrderConfirmed", id: eventId(orderId, "OrderConfirmed"), orderId, occurredAt: confirmedAt.toISOString(), version: 1, data: {} });
    expect((await sql`SELECT updated_at FROM orders WHERE id = ${orderId}`)[0]!.updated_at.toISOString()).toBe(confirmedAt.toISOString());
  });

  test("an OrderPlaced for an order that does not exist is dead-lettered, and the consumer moves on", async () => {
    const ghost = crypto.randomUUID();
    const dlq = await watch([topics.dlq]);
    try {
      await send(topics.placed, ghost, envelope("OrderPlaced", ghost, { items: [], totalCents: 0, currency: "USD" }));
      await dlq.until((seen) => seen.some((m) => m.key === ghost), 30_000, "the dead letter");
      expect(dlq.forOrder(ghost)[0]!.headers).toMatchObject({ "dlq-reason": `OrderPlaced for an order that does not exist: ${ghost}`, "dlq-error-class": "unprocessable" });
      expect(dlq.forOrder(ghost)[0]!.headers["dlq-source-topic"]).toBe(topics.placed);
    } finally {
      await dlq.stop();
    }
  });
});
