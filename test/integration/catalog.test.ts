import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { catalogEnvelope } from "../../src/catalog/events.ts";
import { envelope } from "../../src/orders/envelope.ts";
import { createProduct, ledgerOf, sql, stockOf, TEST_PRODUCT_DESCRIPTION } from "../support/db.ts";
import { customer, shippingAddress, readStatusEvents, session } from "../support/http.ts";
import { expectLedger } from "../support/invariants.ts";
import { produce, stopProducing, topics, watch, type Watcher } from "../support/kafka.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

const ADMIN_TOKEN = `admin-${crypto.randomUUID()}`;
const asAdmin = { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };
let a: RunningShop;
let b: RunningShop;
let watcher: Watcher;

beforeAll(async () => {
  watcher = await watch([topics.catalogEvents, topics.rejected, topics.dlq]);
  // Should one fail to start, the other must not outlive the run.
  const started = await Promise.allSettled([startShop({ ADMIN_TOKEN }, "catalog-a"), startShop({ ADMIN_TOKEN }, "catalog-b")]);
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    await Promise.all(started.map((s) => (s.status === "fulfilled" ? s.value.stop() : undefined)));
    throw failed.reason;
  }
  [a, b] = started.map((s) => (s as PromiseFulfilledResult<RunningShop>).value) as [RunningShop, RunningShop];
}, 120_000);
afterAll(async () => {
  await stopProducing();
  await watcher?.stop();
  expect(await Promise.all([a?.stop(), b?.stop()])).toEqual([0, 0]);
}, 30_000);

const admin = (shop: RunningShop, method: string, path: string, body?: unknown) =>
  fetch(`${shop.url}/api/admin/products${path}`, { method, headers: asAdmin, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
const adjust = (shop: RunningShop, productId: string, delta: number, reason = "test") =>
  admin(shop, "POST", `/${productId}/stock-adjustments`, { delta, reason });
const order = (shop: RunningShop, productId: string, quantity = 1) => fetch(`${shop.url}/api/orders`, {
  method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ customer, shippingAddress, items: [{ productId, quantity }] }),
});

async function untilTerminal(ids: string[]) {
  const until = Date.now() + 60_000;
  for (;;) {
    const [{ open }] = await sql<[{ open: number }]>`
      SELECT count(*)::int AS open FROM unnest(${ids}::uuid[]) AS a(id) LEFT JOIN orders o ON o.id = a.id
      WHERE o.id IS NULL OR o.status NOT IN ('confirmed', 'rejected')`;
    if (open === 0) return;
    if (Date.now() > until) throw new Error(`${open} orders not terminal after 60 s`);
    await Bun.sleep(200);
  }
}

describe("catalog managed through the API", () => {
  test("200 orders racing restocks of the same product on two instances: stock = initial + restock − sold, and the ledger agrees", async () => {
    const productId = await createProduct({ stock: 40 });
    const restocks = Array.from({ length: 8 }, (_, i) => (async () => {
      await Bun.sleep(i * 40);
      return adjust(i % 2 ? a : b, productId, 10, `delivery ${i}`);
    })());
    const orders = await Promise.all(Array.from({ length: 200 }, (_, i) => order(i % 2 ? a : b, productId)));
    expect(orders.map((r) => r.status)).toEqual(Array(200).fill(202));
    const accepted: string[] = await Promise.all(orders.map(async (r) => (await r.json()).id));
    const answers = await Promise.all(restocks);
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(200));
    const adjustments = await Promise.all(answers.map((r) => r.json()));
    expect(adjustments.every((x) => x.productId === productId && x.delta === 10)).toBe(true);

    await untilTerminal(accepted);
    const [{ sold }] = await sql<[{ sold: number }]>`
      SELECT COALESCE(sum(i.quantity), 0)::int AS sold FROM order_items i JOIN orders o ON o.id = i.order_id
      WHERE i.product_id = ${productId} AND o.status IN ('placed', 'confirmed')`;
    expect(sold).toBeGreaterThanOrEqual(40);
    expect(await stockOf(productId)).toBe(40 + 80 - sold);
    expect(await ledgerOf(productId)).toBe(40 + 80 - sold);
    await expectLedger([productId]);
    const [{ adjusted }] = await sql<[{ adjusted: number }]>`
      SELECT count(*)::int AS adjusted FROM stock_movements WHERE product_id = ${productId} AND kind = 'adjustment' AND reason LIKE 'delivery %' AND actor = 'admin'`;
    expect(adjusted).toBe(8);
    await watcher.until((seen) => seen.filter((m) => m.key === productId && m.json?.type === "StockAdjusted").length >= 8, 30_000, "8 StockAdjusted");
  }, 120_000);

  test("an adjustment below zero is refused with 409 would_go_negative and changes nothing", async () => {
    const productId = await createProduct({ stock: 3 });
    const response = await adjust(a, productId, -4, "breakage");
    expect(response.status).toBe(409);
    expect((await response.json()).error).toMatchObject({ code: "conflict", reason: "would_go_negative" });
    expect(await stockOf(productId)).toBe(3);
    expect(await ledgerOf(productId)).toBe(3);
    await watcher.until((seen) => seen.some((m) => m.key === productId && m.json?.type === "StockAdjustmentRejected"), 30_000, "StockAdjustmentRejected");

    const down = await adjust(b, productId, -3, "breakage");
    expect(down.status).toBe(200);
    expect(await down.json()).toMatchObject({ productId, delta: -3, stock: 0 });
    const movements = await (await admin(a, "GET", `/${productId}/movements`)).json();
    expect(movements.map((m: { kind: string; delta: number; stockAfter: number }) => [m.kind, m.delta, m.stockAfter])).toEqual([["adjustment", -3, 0], ["opening", 3, 3]]);
  }, 60_000);

  test("a created product's slug comes from its name, is numbered when another product has it, and survives a rename", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const name = `Thé Sencha ${tag}`;
    const create = (shop: RunningShop, sku: string) =>
      admin(shop, "POST", "", { sku, name, description: TEST_PRODUCT_DESCRIPTION, priceCents: 500 }).then((r) => r.json());
    const first = await create(a, `S1-${tag}`);
    expect(first.slug).toBe(`the-sencha-${tag}`);
    const second = await create(b, `S2-${tag}`);
    expect(second.slug).toBe(`the-sencha-${tag}-2`);
    await watcher.until((seen) => seen.some((m) => m.key === second.id && m.json?.type === "ProductChanged" && (m.json.data as { slug?: string }).slug === second.slug), 30_000, "ProductChanged with the numbered slug");
    const renamed = await (await admin(a, "PATCH", `/${first.id}`, { name: "Renamed sencha" })).json();
    expect(renamed).toMatchObject({ name: "Renamed sencha", slug: first.slug });
  }, 60_000);

  test("create, reprice, archive: an archived product leaves the catalog, answers unknown_product, and still shows in an old order at its price", async () => {
    const sku = `T-${crypto.randomUUID().slice(0, 8)}`;
    const created = await admin(a, "POST", "", { sku, name: "Archive me", description: TEST_PRODUCT_DESCRIPTION, priceCents: 700, stock: 5 });
    expect(created.status).toBe(200);
    const product = await created.json();
    expect(product).toMatchObject({ sku, name: "Archive me", priceCents: 700, stock: 5, archived: false, currency: "USD" });
    await expectLedger([product.id]);
    const duplicate = await admin(b, "POST", "", { sku, name: "Twin", description: TEST_PRODUCT_DESCRIPTION, priceCents: 1 });
    expect(duplicate.status).toBe(409);
    expect((await duplicate.json()).error).toMatchObject({ code: "conflict", reason: "duplicate_sku" });

    const shopper = session(a.url);
    const placed = await shopper.postOrder({ customer, shippingAddress, items: [{ productId: product.id, quantity: 2 }] });
    expect(placed.status).toBe(202);
    const { id: oldOrder } = await placed.json();
    expect((await readStatusEvents(a.url, oldOrder)).at(-1)?.status).toBe("confirmed");

    const repriced = await admin(b, "PATCH", `/${product.id}`, { priceCents: 900 });
    expect(await repriced.json()).toMatchObject({ priceCents: 900, stock: 3 });
    const archived = await admin(b, "PATCH", `/${product.id}`, { archived: true });
    expect(archived.status).toBe(200);
    expect(await archived.json()).toMatchObject({ archived: true, stock: 3 });

    for (const shop of [a, b]) {
      const listed: { items: { id: string }[] } = await (await fetch(`${shop.url}/api/products?ids=${product.id}`)).json();
      expect(listed.items).toEqual([]);
      const refused = await order(shop, product.id);
      expect(refused.status).toBe(400);
      expect((await refused.json()).error.code).toBe("unknown_product");
    }
    const all: { id: string; archived: boolean }[] = await (await admin(a, "GET", "")).json();
    expect(all.find((p) => p.id === product.id)?.archived).toBe(true);

    const old = await (await shopper.request(`/api/orders/${oldOrder}`)).json();
    expect(old.items).toEqual([{ productId: product.id, name: "Archive me", quantity: 2, unitPriceCents: 700 }]);
    expect(old.totalCents).toBe(1400);
  }, 60_000);

  test("an order already in flight for a product archived meanwhile is rejected unknown_product by the worker", async () => {
    const productId = await createProduct({ stock: 5 });
    await sql`UPDATE products SET archived = true WHERE id = ${productId}`;
    // Bypasses the API's check, as any producer on orders.commands may.
    const orderId = crypto.randomUUID();
    await produce(topics.commands, [{ key: orderId, value: JSON.stringify(envelope("PlaceOrder", orderId, { customer, shippingAddress, items: [{ productId, quantity: 1 }] })) }]);
    await watcher.until((seen) => seen.some((m) => m.key === orderId), 30_000, "the rejection");
    expect(watcher.seen.find((m) => m.key === orderId)?.json.data).toEqual({ reason: "unknown_product" });
    expect(await stockOf(productId)).toBe(5);
  }, 60_000);

  test("a redelivered AdjustStock is applied once and its StockAdjusted republished with the same id; a malformed command is dead-lettered alone", async () => {
    const productId = await createProduct({ stock: 1 });
    const command = JSON.stringify(catalogEnvelope("AdjustStock", productId, { delta: 4, reason: "redelivered", actor: "test" }));
    const garbage = { key: productId, value: JSON.stringify({ type: "AdjustStock", productId, data: { delta: "lots" } }) };
    const adjusted = (seen: typeof watcher.seen) => seen.filter((m) => m.key === productId && m.json?.type === "StockAdjusted");
    await produce(topics.catalogCommands, [{ key: productId, value: command }, garbage]);
    await watcher.until((seen) => adjusted(seen).length >= 1, 30_000, "StockAdjusted");
    // Delivered again after it was applied, as after a crash before the offset commit.
    await produce(topics.catalogCommands, [{ key: productId, value: command }]);
    await watcher.until((seen) => seen.filter((m) => m.key === productId && m.json?.type === "StockAdjusted").length >= 2, 30_000, "two StockAdjusted");
    const events = adjusted(watcher.seen);
    expect(new Set(events.map((m) => m.json.id)).size).toBe(1);
    expect(events[0]!.json.data).toMatchObject({ delta: 4, stock: 5, reason: "redelivered", actor: "test" });
    expect(await stockOf(productId)).toBe(5);
    await expectLedger([productId]);
    await watcher.until((seen) => seen.some((m) => m.topic === topics.dlq && m.key === productId), 30_000, "the malformed command dead-lettered");
  }, 60_000);

  test("GET /api/products/events sends event: stock with { id, stock, archived } when an admin restocks on another instance", async () => {
    const productId = await createProduct({ stock: 2 });
    const controller = new AbortController();
    const response = await fetch(`${a.url}/api/products/events`, { signal: controller.signal });
    expect(response.headers.get("content-type")).toStartWith("text/event-stream");
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    // The stream says it is open before anything can be missed.
    while (!buffer.includes(": open")) buffer += decoder.decode((await reader.read()).value, { stream: true });
    expect((await adjust(b, productId, 5)).status).toBe(200);
    const until = Date.now() + 15_000;
    let event: unknown;
    while (!event && Date.now() < until) {
      buffer += decoder.decode((await reader.read()).value, { stream: true });
      for (const block of buffer.split("\n\n")) {
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (/^event: stock$/m.test(block) && data && JSON.parse(data).id === productId) event = JSON.parse(data);
      }
    }
    controller.abort();
    expect(event).toEqual({ id: productId, stock: 7, archived: false });
  }, 30_000);
});
