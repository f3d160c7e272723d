import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { createProduct } from "../support/db.ts";
import { eventItems, itemProblems, type EventItem } from "../support/eventItems.ts";
import { customer, session, shippingAddress } from "../support/http.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

/**
 * Every event the two streams send while a real order goes from pending to delivered, and while an
 * admin moves stock, is one the OpenAPI document's itemSchema declares, its data included.
 */

const ADMIN_TOKEN = `streams-${crypto.randomUUID()}`;
const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };
const ORDER_STREAM = "paths/~1api~1orders~1{id}~1events/get/responses/200/content/text~1event-stream/itemSchema";
const STOCK_STREAM = "paths/~1api~1products~1events/get/responses/200/content/text~1event-stream/itemSchema";

let shop: RunningShop;
let doc: unknown;
let ajv: Ajv2020;

beforeAll(async () => {
  shop = await startShop({ ADMIN_TOKEN }, "event-streams");
  doc = await (await fetch(`${shop.url}/api/openapi.json`)).json();
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc as object, "openapi.json");
}, 120_000);
afterAll(async () => { expect(await shop?.stop()).toBe(0); });

/** The stream's events until `enough` says so or it ends. */
async function collect(path: string, enough: (items: EventItem[]) => boolean, timeoutMs = 60_000) {
  const response = await fetch(shop.url + path, { signal: AbortSignal.timeout(timeoutMs) });
  expect(response.headers.get("content-type")).toStartWith("text/event-stream");
  const items: EventItem[] = [];
  for await (const item of eventItems(response)) {
    items.push(item);
    if (enough(items)) break;
  }
  return items;
}

const statusOf = (item: EventItem) => (JSON.parse(item.data) as { status: string }).status;

async function waitForStatus(id: string, status: string) {
  for (const until = Date.now() + 30_000; Date.now() < until; await Bun.sleep(100)) {
    const order = await fetch(`${shop.url}/api/orders/${id}`, { headers: admin });
    if (order.ok && (await order.json()).status === status) return;
  }
  throw new Error(`order ${id} did not become ${status} within 30 s`);
}

describe("event streams as the OpenAPI document describes them (itemSchema)", () => {
  test("an order's stream from pending to delivered, and the stock stream meanwhile", async () => {
    const productId = await createProduct({ stock: 5 });
    const stock = collect("/api/products/events", (items) => items.length >= 2);
    // The stream is open before the stock moves: its first event is the order's reservation.
    await Bun.sleep(500);

    const placed = await session(shop.url).postOrder({ customer, shippingAddress, items: [{ productId, quantity: 1 }] });
    expect(placed.status).toBe(202);
    const { id } = await placed.json() as { id: string };
    const order = collect(`/api/orders/${id}/events`, () => false);

    await waitForStatus(id, "confirmed");
    const adjusted = await fetch(`${shop.url}/api/admin/products/${productId}/stock-adjustments`, {
      method: "POST", headers: admin, body: JSON.stringify({ delta: 2, reason: "streams" }),
    });
    expect(adjusted.status).toBe(200);
    const shipped = await fetch(`${shop.url}/api/admin/orders/${id}/ship`, {
      method: "POST", headers: admin, body: JSON.stringify({ carrier: "DHL", trackingNumber: "JD014600006281" }),
    });
    expect(shipped.status).toBe(202);
    await waitForStatus(id, "shipped");
    expect((await fetch(`${shop.url}/api/admin/orders/${id}/deliver`, { method: "POST", headers: admin })).status).toBe(202);

    // The order's stream closes by itself after delivered.
    const orderItems = await order;
    const stockItems = await stock;
    expect(orderItems.map(statusOf)).toEqual(expect.arrayContaining(["confirmed", "shipped", "delivered"]));
    expect(orderItems.at(-1) && statusOf(orderItems.at(-1)!)).toBe("delivered");
    expect(stockItems.length).toBe(2);

    const problems = [
      ...orderItems.flatMap((item) => itemProblems(ajv, doc, ORDER_STREAM, item).map((p) => `order stream ${JSON.stringify(item)}: ${p}`)),
      ...stockItems.flatMap((item) => itemProblems(ajv, doc, STOCK_STREAM, item).map((p) => `stock stream ${JSON.stringify(item)}: ${p}`)),
    ];
    expect(problems).toEqual([]);
  }, 120_000);

  test("an event the document does not declare is caught, its data included", () => {
    const at = "2026-01-01T00:00:00.000Z";
    const id = crypto.randomUUID();
    expect(itemProblems(ajv, doc, ORDER_STREAM, { event: "status", data: JSON.stringify({ id, status: "confirmed", at }) })).toEqual([]);
    expect(itemProblems(ajv, doc, ORDER_STREAM, { event: "status", data: JSON.stringify({ id, status: "lost", at }) })).not.toEqual([]);
    expect(itemProblems(ajv, doc, ORDER_STREAM, { event: "stock", data: JSON.stringify({ id, status: "confirmed", at }) })).not.toEqual([]);
    expect(itemProblems(ajv, doc, ORDER_STREAM, { event: "status", data: "not json" })).not.toEqual([]);
    expect(itemProblems(ajv, doc, ORDER_STREAM, { data: JSON.stringify({ id, status: "confirmed", at }) })).not.toEqual([]);
    expect(itemProblems(ajv, doc, ORDER_STREAM, { event: "status", data: JSON.stringify({ id, status: "confirmed", at }), retry: -1 } as EventItem)).not.toEqual([]);
  });
});
