import { shippingAddress } from "../support/http.ts";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { createProduct, sql, stockOf } from "../support/db.ts";
import { expectInvariants } from "../support/invariants.ts";
import { topics, watch, type Watcher } from "../support/kafka.ts";
import { createProducts, placeOrders, randomCart } from "../support/load.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

const TOPICS = [topics.placed, topics.rejected, topics.confirmed];
let watcher: Watcher;
const running = new Set<RunningShop>();

async function launch(env: Record<string, string> = {}, name = "fault", probe: "/readyz" | "/healthz" = "/readyz") {
  const shop = await startShop(env, name, probe);
  running.add(shop);
  return shop;
}
async function kill(shop: RunningShop) {
  await shop.kill();
  running.delete(shop);
}

beforeAll(async () => { watcher = await watch(TOPICS); });
afterEach(async () => {
  await Promise.all([...running].map((s) => s.stop()));
  running.clear();
});
afterAll(async () => { await watcher.stop(); });

describe("faults: instances dying", () => {
  test("kill -9 of the binary every few seconds while 2,000 orders are placed: nothing lost, duplicated or oversold", async () => {
    const products = await createProducts(8, 600);
    let shop = await launch({}, "kill9");
    const port = String(shop.port);
    const load = placeOrders({
      urls: () => [shop.url], count: 2_000, concurrency: 8, perSecond: 150, deadline: Date.now() + 150_000,
      cart: () => randomCart([...products.keys()]),
    });
    let kills = 0;
    let loading = true;
    load.finally(() => { loading = false; });
    while (loading) {
      await Bun.sleep(1_500 + Math.random() * 2_000);
      await kill(shop);
      kills++;
      shop = await launch({ PORT: port }, "kill9", "/healthz");
    }
    const { accepted, answers } = await load;
    console.log(`kill -9 ×${kills}: ${accepted.length} accepted, answers ${JSON.stringify(answers)}`);
    expect(accepted.length).toBeGreaterThanOrEqual(2_000);
    expect(kills).toBeGreaterThanOrEqual(4);
    await expectInvariants({ accepted, products, watcher });
  }, 300_000);

  test("two instances share the work; when one is killed with kill -9 the survivor finishes everything", async () => {
    const products = await createProducts(6, 300);
    const [a, b] = await Promise.all([launch({}, "pair-a"), launch({}, "pair-b")]);
    let targets = [a!.url, b!.url];
    const load = placeOrders({
      urls: () => targets, count: 800, concurrency: 8, perSecond: 200, deadline: Date.now() + 120_000,
      cart: () => randomCart([...products.keys()]),
    });
    await Bun.sleep(1_500);
    targets = [b!.url];
    await kill(a!);
    const { accepted } = await load;
    expect(accepted.length).toBeGreaterThanOrEqual(800);
    await expectInvariants({ accepted, products, watcher });
  }, 240_000);

  test("the same Idempotency-Key on two instances at once gives one order and one id", async () => {
    const productId = await createProduct({ stock: 50 });
    const [a, b] = await Promise.all([launch({}, "idem-a"), launch({}, "idem-b")]);
    const keys = Array.from({ length: 20 }, () => `key-${crypto.randomUUID()}`);
    const post = (url: string, key: string) => fetch(`${url}/api/orders`, {
      method: "POST", headers: { "content-type": "application/json", "idempotency-key": key },
      body: JSON.stringify({ customer: { name: "Twice", email: "twice@example.com" }, shippingAddress, items: [{ productId, quantity: 1 }] }),
    });
    const pairs = await Promise.all(keys.map(async (key) => {
      const [ra, rb] = await Promise.all([post(a!.url, key), post(b!.url, key)]);
      expect([ra.status, rb.status]).toEqual([202, 202]);
      return [(await ra.json()).id as string, (await rb.json()).id as string];
    }));
    for (const [idA, idB] of pairs) expect(idA).toBe(idB);
    const accepted = pairs.map(([id]) => id!);
    await expectInvariants({ accepted, products: new Map([[productId, 50]]), watcher });
    expect(await stockOf(productId)).toBe(30);
  }, 120_000);

  test("200 concurrent orders across two instances for a product with 25 units: exactly 25 sold", async () => {
    const productId = await createProduct({ stock: 25 });
    const [a, b] = await Promise.all([launch({}, "oversell-a"), launch({}, "oversell-b")]);
    const responses = await Promise.all(Array.from({ length: 200 }, (_, i) =>
      fetch(`${(i % 2 ? a : b)!.url}/api/orders`, {
        method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ customer: { name: "Rush", email: "rush@example.com" }, shippingAddress, items: [{ productId, quantity: 1 }] }),
      })));
    expect(responses.map((r) => r.status)).toEqual(Array(200).fill(202));
    const accepted: string[] = await Promise.all(responses.map(async (r) => (await r.json()).id));
    await expectInvariants({ accepted, products: new Map([[productId, 25]]), watcher });
    expect(await stockOf(productId)).toBe(0);
    const [{ sold }] = await sql<[{ sold: number }]>`
      SELECT count(*)::int AS sold FROM orders o JOIN order_items i ON i.order_id = o.id
      WHERE i.product_id = ${productId} AND o.status = 'confirmed'`;
    expect(sold).toBe(25);
  }, 120_000);
});
