import { describe, expect, test } from "bun:test";
import type * as v from "valibot";
import type { Tx } from "../../src/db/client.ts";
import { decodeEnvelope } from "../../src/kafka/decode.ts";
import { jsonMessage, type Inbound, type Item, type Produced } from "../../src/kafka/message.ts";
import { createLogger } from "../../src/log.ts";
import { createMetrics } from "../../src/metrics.ts";
import { envelope, OrderCommandEnvelope, OrderPlacedEnvelope, PlaceOrderEnvelope } from "../../src/orders/envelope.ts";
import { confirmOrders } from "../../src/worker/confirmOrders.ts";
import { orderCommands } from "../../src/worker/orderCommands.ts";
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

  test("orderCommands: placements and lifecycle commands in the partition's order; a cancel returns stock once; a later OrderPlaced republishes the confirmation as it was", async () => {
    const productId = await createProduct({ stock: 5 });
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
    const command = (body: { type: string; orderId: string }) => item(OrderCommandEnvelope, body);
    const placeA = command(envelope("PlaceOrder", a, { customer, items: [{ productId, quantity: 2 }] }));
    const cancelA = command(envelope("CancelOrder", a, { by: "customer" }));
    const placeB = command(envelope("PlaceOrder", b, { customer, items: [{ productId, quantity: 3 }] }));
    const shipB = command(envelope("ShipOrder", b, { carrier: "DHL", trackingNumber: "1" }));
    const stock = async (tx: Tx) => (await tx<{ stock: number }[]>`SELECT stock FROM products WHERE id = ${productId}`)[0]!.stock;

    await inTransaction(async (tx) => {
      // A is cancelled while placed, in the same batch; B cannot be shipped before it is confirmed.
      const produced = await orderCommands(deps)(tx, [placeA, cancelA, placeB, shipB]);
      expect(summary(produced).map(([type, key]) => [type, key])).toEqual([["OrderPlaced", a], ["OrderCancelled", a], ["OrderPlaced", b], ["OrderCommandRefused", b]]);
      expect(await stock(tx)).toBe(2);

      const [confirmedA, confirmedB] = await Promise.all([confirmOrders(deps)(tx, [item(OrderPlacedEnvelope, envelope("OrderPlaced", a, { items: [], totalCents: 0, currency: "USD" }))]),
        confirmOrders(deps)(tx, [item(OrderPlacedEnvelope, envelope("OrderPlaced", b, { items: [], totalCents: 0, currency: "USD" }))])]);
      expect(confirmedA).toEqual([]);
      const first = confirmedB.map((p) => ("event" in p ? p.event.body : undefined));

      const shipAgain = command(envelope("ShipOrder", b, { carrier: "DHL", trackingNumber: "1" }));
      expect(summary(await orderCommands(deps)(tx, [shipAgain, cancelA])).map(([type]) => type)).toEqual(["OrderShipped", "OrderCancelled"]);
      expect(await stock(tx)).toBe(2);
      // Shipped since: a redelivered OrderPlaced still publishes the very OrderConfirmed it did.
      const again = await confirmOrders(deps)(tx, [item(OrderPlacedEnvelope, envelope("OrderPlaced", b, { items: [], totalCents: 0, currency: "USD" }))]);
      expect(again.map((p) => ("event" in p ? p.event.body : undefined))).toEqual(first);
      expect((await tx<{ kind: string; delta: number }[]>`SELECT kind, delta FROM stock_movements WHERE order_id = ${a} ORDER BY id`).map((m) => [m.kind, m.delta]))
        .toEqual([["order", -2], ["cancellation", 2]]);
    });
  });
});
