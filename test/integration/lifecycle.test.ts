import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { envelope } from "../../src/orders/envelope.ts";
import { createProduct, ledgerOf, sql, stockOf } from "../support/db.ts";
import { customer, readStatusEvents, session, shippingAddress, type StatusEvent } from "../support/http.ts";
import { produce, stopProducing, topics, watch, type Watcher } from "../support/kafka.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

const ADMIN_TOKEN = `admin-${crypto.randomUUID()}`;
const asAdmin = { authorization: `Bearer ${ADMIN_TOKEN}` };
let shop: RunningShop;
let watcher: Watcher;

beforeAll(async () => {
  [shop, watcher] = await Promise.all([
    startShop({ ADMIN_TOKEN }, "lifecycle"),
    watch([topics.cancelled, topics.shipped, topics.delivered, topics.refused, topics.dlq]),
  ]);
}, 120_000);
afterAll(async () => {
  await stopProducing();
  await watcher?.stop();
  expect(await shop?.stop()).toBe(0);
}, 30_000);

const admin = (path: string, init: RequestInit = {}) =>
  fetch(`${shop.url}${path}`, { ...init, headers: { ...asAdmin, "content-type": "application/json", ...init.headers as Record<string, string> } });
const post = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const is = (status: string) => (e: StatusEvent) => e.status === status;

async function expectConflict(response: Response, reason: string) {
  expect({ status: response.status, error: (await response.json()).error }).toMatchObject({ status: 409, error: { code: "conflict", reason } });
}

/** A browser that placed a confirmed order of `quantity` units of a product of its own. */
async function confirmedOrder(quantity = 2, stock = 10) {
  const productId = await createProduct({ stock });
  const browser = session(shop.url);
  const response = await browser.postOrder({ customer, shippingAddress, items: [{ productId, quantity }] });
  expect(response.status).toBe(202);
  const { id } = (await response.json()) as { id: string };
  expect((await readStatusEvents(shop.url, id)).at(-1)?.status).toBe("confirmed");
  return { id, productId, browser };
}

const movementsOf = async (orderId: string) =>
  [...await sql<{ kind: string; delta: number; product_id: string }[]>`SELECT kind, delta, product_id FROM stock_movements WHERE order_id = ${orderId} ORDER BY id`];

describe("an order's life after confirmed", () => {
  test("the customer cancels: the status follows on the stream, the units go back once, the ledger says so", async () => {
    const { id, productId, browser } = await confirmedOrder(3);
    expect(await stockOf(productId)).toBe(7);

    const stream = readStatusEvents(shop.url, id, 30_000, is("cancelled"));
    const cancel = await browser.request(`/api/orders/${id}/cancel`, post({ reason: "  ordered the wrong tea  " }));
    expect(cancel.status).toBe(202);
    const { commandId } = await cancel.json();
    expect((await stream).map((e) => e.status)).toEqual(expect.arrayContaining(["cancelled"]));

    expect(await stockOf(productId)).toBe(10);
    expect(await ledgerOf(productId)).toBe(10);
    expect(await movementsOf(id)).toEqual([{ kind: "order", delta: -3, product_id: productId }, { kind: "cancellation", delta: 3, product_id: productId }]);

    const order = await (await browser.request(`/api/orders/${id}`)).json();
    expect(order).toMatchObject({ status: "cancelled", cancellation: { by: "customer", reason: "ordered the wrong tea" }, shippingAddress });
    expect(order.timeline.map((s: { status: string }) => s.status)).toEqual(["pending", "placed", "confirmed", "cancelled"]);
    for (const step of order.timeline) expect(Date.parse(step.at)).toBeGreaterThan(0);

    // Asked again: the same answer, and nothing moves twice.
    const again = await browser.request(`/api/orders/${id}/cancel`, { method: "POST", headers: { "content-type": "application/json" } });
    expect({ status: again.status, body: await again.json() }).toEqual({ status: 202, body: { id, commandId } });
    await watcher.until((seen) => seen.some((m) => m.topic === topics.cancelled && m.key === id), 15_000, "OrderCancelled");
    const cancelled = watcher.forOrder(id).filter((m) => m.topic === topics.cancelled);
    expect(cancelled[0]!.json).toMatchObject({ type: "OrderCancelled", data: { by: "customer", returned: [{ productId, quantity: 3 }] } });
    expect(await ledgerOf(productId)).toBe(10);
    expect(await stockOf(productId)).toBe(10);
  }, 60_000);

  test("another session, or none, cannot see or cancel the order: 404", async () => {
    const { id, productId } = await confirmedOrder(1);
    expect((await session(shop.url).request(`/api/orders/${id}/cancel`, { method: "POST" })).status).toBe(404);
    expect((await fetch(`${shop.url}/api/orders/${id}/cancel`, { method: "POST" })).status).toBe(404);
    expect((await session(shop.url).request(`/api/orders/${crypto.randomUUID()}/cancel`, { method: "POST" })).status).toBe(404);
    expect((await session(shop.url).request("/api/orders/not-an-id/cancel", { method: "POST" })).status).toBe(404);
    expect(await stockOf(productId)).toBe(9);
  }, 60_000);

  test("the admin ships then delivers; the customer can no longer cancel; the stream closes after delivered", async () => {
    const { id, productId, browser } = await confirmedOrder(2);
    const stream = readStatusEvents(shop.url, id, 30_000, () => false);

    await expectConflict(await admin(`/api/admin/orders/${id}/deliver`, { method: "POST" }), "not_deliverable");
    const ship = await admin(`/api/admin/orders/${id}/ship`, { method: "POST", body: JSON.stringify({ carrier: "DHL", trackingNumber: " JD014600006281 " }) });
    expect(ship.status).toBe(202);
    await readStatusEvents(shop.url, id, 30_000, is("shipped"));
    // The same shipment again is the same request; another one is refused.
    expect((await admin(`/api/admin/orders/${id}/ship`, { method: "POST", body: JSON.stringify({ carrier: "DHL", trackingNumber: "JD014600006281" }) })).status).toBe(202);
    await expectConflict(await admin(`/api/admin/orders/${id}/ship`, { method: "POST", body: JSON.stringify({ carrier: "UPS", trackingNumber: "1Z999" }) }), "not_shippable");
    await expectConflict(await browser.request(`/api/orders/${id}/cancel`, { method: "POST" }), "not_cancellable");
    await expectConflict(await admin(`/api/admin/orders/${id}/cancel`, { method: "POST" }), "not_cancellable");

    expect((await admin(`/api/admin/orders/${id}/deliver`, { method: "POST" })).status).toBe(202);
    // The stream closes by itself after delivered, having shown each step once, in order.
    const statuses = (await stream).map((e) => e.status);
    expect(statuses.at(-1)).toBe("delivered");
    expect(["confirmed", "shipped", "delivered"].filter((s) => statuses.includes(s))).toEqual(statuses);

    const seen = await (await browser.request(`/api/orders/${id}`)).json();
    expect(seen).toMatchObject({ status: "delivered", shipment: { carrier: "DHL", trackingNumber: "JD014600006281" } });
    expect(seen.timeline.map((s: { status: string }) => s.status)).toEqual(["pending", "placed", "confirmed", "shipped", "delivered"]);
    const detail = await (await admin(`/api/admin/orders/${id}`)).json();
    expect(detail.events.map((e: { type: string }) => e.type)).toEqual(["OrderShipped", "OrderDelivered"]);
    expect(detail.shippingAddress).toEqual(shippingAddress);
    expect(await stockOf(productId)).toBe(8);
  }, 60_000);

  test("the admin cancels a confirmed order with a reason", async () => {
    const { id, productId } = await confirmedOrder(4);
    expect((await admin(`/api/admin/orders/${id}/cancel`, { method: "POST", body: JSON.stringify({ reason: "payment failed" }) })).status).toBe(202);
    await readStatusEvents(shop.url, id, 30_000, is("cancelled"));
    expect(await stockOf(productId)).toBe(10);
    const detail = await (await admin(`/api/admin/orders/${id}`)).json();
    expect(detail).toMatchObject({ status: "cancelled", cancellation: { by: "admin", reason: "payment failed" } });
    expect(detail.events).toEqual([expect.objectContaining({ type: "OrderCancelled", data: { by: "admin", reason: "payment failed", returned: [{ productId, quantity: 4 }] } })]);
  }, 60_000);

  test("a CancelOrder delivered three times returns the units once and publishes the same event again", async () => {
    const { id, productId } = await confirmedOrder(5);
    const command = envelope("CancelOrder", id, { by: "admin" });
    const message = { key: id, value: JSON.stringify(command), headers: { type: "CancelOrder", "correlation-id": `redelivered-${id}` } };
    await produce(topics.commands, [message, message]);
    await produce(topics.commands, [message]);
    // Twice in one batch is decided and published once; the third, in a batch of its own, publishes its stored outcome.
    await watcher.until((seen) => seen.filter((m) => m.topic === topics.cancelled && m.key === id).length >= 2, 20_000, "OrderCancelled twice");
    const published = watcher.forOrder(id).filter((m) => m.topic === topics.cancelled).map((m) => m.json.id);
    expect(new Set(published).size).toBe(1);
    expect(await stockOf(productId)).toBe(10);
    expect((await movementsOf(id)).filter((m) => m.kind === "cancellation")).toHaveLength(1);
  }, 60_000);

  test("a command the status forbids is refused with an event, never dead-lettered", async () => {
    const { id } = await confirmedOrder(1);
    const unknown = crypto.randomUUID();
    const deliver = envelope("DeliverOrder", id, {});
    const cancelUnknown = envelope("CancelOrder", unknown, { by: "customer" });
    await produce(topics.commands, [
      { key: id, value: JSON.stringify(deliver), headers: { type: "DeliverOrder" } },
      { key: unknown, value: JSON.stringify(cancelUnknown), headers: { type: "CancelOrder" } },
    ]);
    await watcher.until((seen) => seen.filter((m) => m.topic === topics.refused && (m.key === id || m.key === unknown)).length >= 2, 20_000, "two refusals");
    expect(watcher.forOrder(id).find((m) => m.topic === topics.refused)!.json.data).toEqual({ commandId: deliver.id, command: "DeliverOrder", reason: "not_deliverable", status: "confirmed" });
    expect(watcher.forOrder(unknown).find((m) => m.topic === topics.refused)!.json.data).toEqual({ commandId: cancelUnknown.id, command: "CancelOrder", reason: "unknown_order", status: null });
    expect(watcher.seen.some((m) => m.topic === topics.dlq && (m.key === id || m.key === unknown))).toBe(false);
  }, 60_000);

  test("a PlaceOrder and its CancelOrder back to back on the partition: placed, then cancelled, stock whole", async () => {
    const productId = await createProduct({ stock: 3 });
    const orderId = crypto.randomUUID();
    const place = envelope("PlaceOrder", orderId, { customer, shippingAddress, items: [{ productId, quantity: 3 }] });
    const cancel = envelope("CancelOrder", orderId, { by: "customer", reason: "changed my mind" });
    await produce(topics.commands, [
      { key: orderId, value: JSON.stringify(place), headers: { type: "PlaceOrder" } },
      { key: orderId, value: JSON.stringify(cancel), headers: { type: "CancelOrder" } },
    ]);
    await watcher.until((seen) => seen.some((m) => m.topic === topics.cancelled && m.key === orderId), 20_000, "OrderCancelled");
    const [row] = await sql<{ status: string; placed_at: Date | null; confirmed_at: Date | null }[]>`SELECT status, placed_at, confirmed_at FROM orders WHERE id = ${orderId}`;
    expect(row!.status).toBe("cancelled");
    expect(row!.placed_at).not.toBeNull();
    expect(await stockOf(productId)).toBe(3);
    expect(await ledgerOf(productId)).toBe(3);
  }, 60_000);

  test("a PlaceOrder from a producer that predates addresses is still placed, without one", async () => {
    const productId = await createProduct({ stock: 1 });
    const orderId = crypto.randomUUID();
    await produce(topics.commands, [{ key: orderId, value: JSON.stringify(envelope("PlaceOrder", orderId, { customer, items: [{ productId, quantity: 1 }] })) }]);
    expect((await readStatusEvents(shop.url, orderId)).at(-1)?.status).toBe("confirmed");
    const order = await (await admin(`/api/admin/orders/${orderId}`)).json();
    expect(order.status).toBe("confirmed");
    expect(order).not.toHaveProperty("shippingAddress");
  }, 60_000);
});

describe("the admin's order list", () => {
  test("finds orders by id prefix, email and name words, filters by status, 400 for bad parameters", async () => {
    const productId = await createProduct({ stock: 10 });
    // Letters only: a q with a digit is looked for as an email or an order number, never as a name.
    const tag = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => String.fromCharCode(97 + (b % 26))).join("");
    const email = `grace.${tag}@example.com`;
    const name = `Grace Brewster${tag} Hopper`;
    const browser = session(shop.url);
    const { id } = await (await browser.postOrder({ customer: { name, email }, shippingAddress, items: [{ productId, quantity: 1 }] })).json();
    await readStatusEvents(shop.url, id);

    const ids = async (query: string) => ((await (await admin(`/api/admin/orders?${query}`)).json()).items as { id: string }[]).map((o) => o.id);
    expect(await ids(`q=${id.slice(0, 13)}`)).toContain(id);
    expect(await ids(`q=${encodeURIComponent(email.toUpperCase())}`)).toEqual([id]);
    expect(await ids(`q=grace.${tag}`)).toEqual([id]);
    expect(await ids(`q=brewster${tag}`)).toEqual([id]);
    expect(await ids(`q=${encodeURIComponent(`hop brewster${tag.slice(0, 4)}`)}`)).toContain(id);
    expect(await ids(`q=brewster${tag}&status=confirmed`)).toEqual([id]);
    expect(await ids(`q=brewster${tag}&status=cancelled`)).toEqual([]);
    expect(await ids(`q=${encodeURIComponent("100%_\\")}`)).toEqual([]);

    for (const query of ["limit=0", "limit=101", "status=pending", "status=lost", "cursor=abc", `q=${"x".repeat(201)}`]) {
      const response = await admin(`/api/admin/orders?${query}`);
      expect({ query, status: response.status, code: (await response.json()).error?.code }).toEqual({ query, status: 400, code: "validation_failed" });
    }
    expect((await fetch(`${shop.url}/api/admin/orders`)).status).toBe(401);
  }, 60_000);

  test("a cursor walk sees every order once, newest first, while new ones arrive", async () => {
    const productId = await createProduct({ stock: 100 });
    const tag = `walk${crypto.randomUUID().slice(0, 8)}`;
    const place = async () => {
      const r = await session(shop.url).postOrder({ customer: { name: `Walker ${tag}`, email: `${tag}@example.com` }, shippingAddress, items: [{ productId, quantity: 1 }] });
      return ((await r.json()) as { id: string }).id;
    };
    const before = [];
    for (let i = 0; i < 12; i++) before.push(await place());
    await Promise.all(before.map((id) => readStatusEvents(shop.url, id)));

    const walked: string[] = [];
    const during: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string; createdAt: string }[]; nextCursor: string | null } =
        await (await admin(`/api/admin/orders?q=${tag}&limit=5${cursor ? `&cursor=${cursor}` : ""}`)).json();
      walked.push(...page.items.map((o) => o.id));
      cursor = page.nextCursor;
      during.push(await place());
      await readStatusEvents(shop.url, during.at(-1)!);
    } while (cursor);

    expect(new Set(walked).size).toBe(walked.length);
    for (const id of before) expect(walked).toContain(id);
    expect(walked.filter((id) => !during.includes(id)).sort()).toEqual([...before].sort());
  }, 120_000);
});
