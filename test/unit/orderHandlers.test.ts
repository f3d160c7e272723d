import { describe, expect, test } from "bun:test";
import type * as v from "valibot";
import type { Tx } from "../../src/db/client.ts";
import { decodeEnvelope } from "../../src/kafka/decode.ts";
import { jsonMessage, type Inbound, type Item, type Produced } from "../../src/kafka/message.ts";
import { createLogger } from "../../src/log.ts";
import { createMetrics } from "../../src/metrics.ts";
import { envelope, OrderPlacedEnvelope, PlaceOrderEnvelope } from "../../src/orders/envelope.ts";
import { confirmOrders } from "../../src/worker/confirmOrders.ts";
import { placeOrders } from "../../src/worker/placeOrders.ts";
import { createProduct, sql } from "../support/db.ts";

const deps = { log: createLogger("error", {}, () => {}), metrics: createMetrics() };
const ROLLBACK = new Error("rolled back");

/** The handler's real transaction, rolled back at the end, so nothing stays behind. */
async function inTransaction(work: (tx: Tx) => Promise<void>) {
  await sql.begin(async (tx) => {
    await work(tx as unknown as Tx);
    throw ROLLBACK;
  }).catch((error) => { if (error !== ROLLBACK) throw error; });
}

let offset = 0;
/** A message as the API or the command consumer would have published it, decoded as its route decodes it. */
function item<S extends v.GenericSchema<unknown, { type: string; orderId: string }>>(schema: S, body: { type: string; orderId: string }): Item<v.InferOutput<S>> {
  const { key, value, headers } = jsonMessage("t", body.orderId, body, { "correlation-id": `req-${body.orderId}` });
  const message: Inbound = { topic: "t", partition: 0, offset: String(offset++), key, value: Buffer.from(value), headers, rawHeaders: headers, headerFault: null, timestamp: new Date() };
  const decoded = decodeEnvelope(schema, (e) => e.orderId)(message);
  if (!decoded.ok) throw new Error(decoded.reason);
  return { message, value: decoded.value };
}

const customer = { name: "Ada", email: "ada@example.com" };
const summary = (produced: Produced[]) =>
  produced.map((p) => ("event" in p ? [p.event.body.type, p.event.key, p.cause.offset] : ["unprocessable", p.unprocessable, p.cause.offset]));

describe("placeOrders and confirmOrders, in a real transaction, without Kafka", () => {
  test("an order placed, one out of stock rejected, a redelivery produced once; then confirmed, and an order that does not exist unprocessable", async () => {
    const productId = await createProduct({ stock: 2 });
    const [placed, rejected, ghost] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const place = (orderId: string, quantity: number) => item(PlaceOrderEnvelope, envelope("PlaceOrder", orderId, { customer, items: [{ productId, quantity }] }));
    const commands = [place(placed, 2), place(placed, 2), place(rejected, 1)];
    const orderPlaced = (orderId: string) => item(OrderPlacedEnvelope, envelope("OrderPlaced", orderId, { items: [], totalCents: 0, currency: "USD" }));
    const events = [orderPlaced(placed), orderPlaced(ghost)];

    await inTransaction(async (tx) => {
      const outcomes = await placeOrders(deps)(tx, commands);
      expect(summary(outcomes)).toEqual([["OrderPlaced", placed, commands[0]!.message.offset], ["OrderRejected", rejected, commands[2]!.message.offset]]);
      expect((await tx<{ stock: number }[]>`SELECT stock FROM products WHERE id = ${productId}`)[0]!.stock).toBe(0);

      const again = await placeOrders(deps)(tx, [commands[0]!]);
      expect(summary(again)).toEqual([["OrderPlaced", placed, commands[0]!.message.offset]]);

      const confirmed = await confirmOrders(deps)(tx, events);
      expect(summary(confirmed)).toEqual([
        ["unprocessable", `OrderPlaced for an order that does not exist: ${ghost}`, events[1]!.message.offset],
        ["OrderConfirmed", placed, events[0]!.message.offset],
      ]);
      expect((await tx<{ status: string }[]>`SELECT status FROM orders WHERE id = ${placed}`)[0]!.status).toBe("confirmed");
    });
    expect(await sql`SELECT 1 FROM orders WHERE id = ${placed}`).toHaveLength(0);
  });
});
