import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import * as v from "valibot";
import { CreateProductRequest, DEFAULT_IMAGE, StockAdjustmentRequest, UpdateProductRequest } from "../../src/catalog/schemas.ts";
import type { Product } from "../../src/catalog/schemas.ts";
import { PlaceOrderRequest } from "../../src/orders/schemas.ts";
import { orderBodies, productBodies, productChanges, SEED, stockAdjustments } from "../support/arbitraries.ts";
import { createProduct, sql } from "../support/db.ts";
import { expectInvariants } from "../support/invariants.ts";
import { topics, watch, type Watcher } from "../support/kafka.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

/**
 * The contract's first promise, tried with generated input through the compiled binary: a request
 * the API accepts is one the pipeline finishes. Every body comes from the request schemas' own
 * arbitraries (test/support/arbitraries.ts, fixed seed), so any rule the API and a consumer read
 * differently shows up here as a 202 that never ends, a dead letter, or a stored value that differs.
 */
const ORDERS = 1_000;
const PRODUCTS = 120;
const ADMIN_TOKEN = `admin-${crypto.randomUUID()}`;
const asAdmin = { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };
const RUN = crypto.randomUUID().slice(0, 8);

let shop: RunningShop;
let watcher: Watcher;
beforeAll(async () => {
  watcher = await watch([topics.placed, topics.rejected, topics.confirmed, topics.catalogEvents, topics.dlq]);
  shop = await startShop({ ADMIN_TOKEN }, "generated");
}, 120_000);
afterAll(async () => {
  await watcher?.stop();
  await sql.begin(async (tx) => {
    const made = tx`SELECT id FROM products WHERE sku LIKE ${`G${RUN}-%`}`;
    await tx`DELETE FROM stock_movements WHERE product_id IN (${made})`;
    await tx`DELETE FROM refused_adjustments WHERE product_id IN (${made})`;
    await tx`DELETE FROM products WHERE id IN (${made})`;
  });
  expect(await shop?.stop()).toBe(0);
}, 30_000);

/** Runs `work` over `inputs`, `concurrency` at a time, keeping each result at its input's index. */
async function each<T, R>(inputs: readonly T[], concurrency: number, work: (input: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < inputs.length) {
      const index = next++;
      results[index] = await work(inputs[index]!, index);
    }
  }));
  return results;
}

const deadLettered = (keys: Set<string>) => watcher.seen.filter((m) => m.topic === topics.dlq && keys.has(m.key!)).map((m) => `${m.key}: ${m.headers["dlq-reason"]}`);

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(250);
  }
}

describe("what the API accepts, the pipeline finishes (generated input, compiled binary)", () => {
  test(`${ORDERS} generated orders: every one answers 202 and reaches confirmed or rejected, stored as sent, none dead-lettered`, async () => {
    // Most products plentiful, a few scarce: both outcomes happen.
    const stocks = Array.from({ length: PRODUCTS }, (_, i) => (i % 10 === 0 ? 40 : 1_000_000));
    const ids = await Promise.all(stocks.map((stock) => createProduct({ stock })));
    const products = new Map(ids.map((id, i) => [id, stocks[i]!]));
    const bodies = fc.sample(orderBodies(ids), { seed: SEED, numRuns: ORDERS });

    const answers = await each(bodies, 8, async (body, i) => {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (i % 2 === 0) headers["idempotency-key"] = `generated-${RUN}-${i}`;
      const response = await fetch(`${shop.url}/api/orders`, { method: "POST", headers, body: JSON.stringify(body) });
      return { status: response.status, body: await response.json() as { id: string } };
    });
    const refused = answers.flatMap((a, i) => (a.status === 202 ? [] : [{ status: a.status, answer: a.body, body: bodies[i] }]));
    expect(refused).toEqual([]);

    const accepted = answers.map((a) => a.body.id);
    await expectInvariants({ accepted, products, watcher });
    expect(deadLettered(new Set(accepted))).toEqual([]);

    const stored = await sql<{ id: string; name: string; email: string }[]>`
      SELECT id, customer_name AS name, customer_email AS email FROM orders WHERE id = ANY(${accepted}::uuid[])`;
    const byId = new Map(stored.map((r) => [r.id, { name: r.name, email: r.email }]));
    const differ = bodies.flatMap((body, i) => {
      const sent = v.parse(PlaceOrderRequest, body).customer;
      const kept = byId.get(accepted[i]!);
      return Bun.deepEquals(kept, sent) ? [] : [{ sent, kept }];
    });
    expect(differ).toEqual([]);
    const outcomes = await sql<{ status: string; n: number }[]>`SELECT status, count(*)::int AS n FROM orders WHERE id = ANY(${accepted}::uuid[]) GROUP BY 1 ORDER BY 1`;
    console.log(`generated orders: ${JSON.stringify(Object.fromEntries(outcomes.map((o) => [o.status, o.n])))}`);
  }, 300_000);

  test("generated catalog requests: every 200 or 202 is applied exactly as sent, none dead-lettered", async () => {
    const admin = async (method: string, path: string, body: unknown) => {
      const response = await fetch(`${shop.url}/api/admin/products${path}`, { method, headers: asAdmin, body: JSON.stringify(body) });
      return { status: response.status, body: await response.json() as Record<string, unknown> };
    };

    const creates = fc.sample(productBodies("SKU"), { seed: SEED, numRuns: 150 }).map((body, i) => ({ ...body, sku: `G${RUN}-${i}` }));
    const created = await each(creates, 4, (body) => admin("POST", "", body));
    expect(created.filter((a) => a.status !== 200 && a.status !== 202)).toEqual([]);

    const listed = async () => new Map(((await (await fetch(`${shop.url}/api/admin/products`, { headers: asAdmin })).json()) as Product[]).map((p) => [p.sku, p]));
    const catalog = await until("every created product", async () => {
      const bySku = await listed();
      return creates.every((c) => bySku.has(c.sku)) ? bySku : undefined;
    });
    const expected = new Map(creates.map((body) => {
      const request = v.parse(CreateProductRequest, body);
      const product = catalog.get(body.sku)!;
      return [product.id, { ...product, ...request, imageUrl: request.imageUrl ?? DEFAULT_IMAGE }] satisfies [string, Product];
    }));
    expect([...expected.keys()].map((id) => [...catalog.values()].find((p) => p.id === id))).toEqual([...expected.values()]);

    // Each product's changes in order, products side by side: its final state is every accepted change applied.
    const changes = fc.sample(fc.tuple(productChanges, stockAdjustments, productChanges, stockAdjustments), { seed: SEED + 1, numRuns: expected.size });
    const applied = new Map<string, { id: string; delta: number; reason: string }[]>();
    await each([...expected.keys()], 4, async (id, i) => {
      const product = expected.get(id)!;
      for (const change of changes[i]!) {
        if ("delta" in change) {
          const answer = await admin("POST", `/${id}/stock-adjustments`, change);
          if (answer.status === 409) continue;
          expect([200, 202]).toContain(answer.status);
          const { delta, reason } = v.parse(StockAdjustmentRequest, change);
          applied.set(id, [...(applied.get(id) ?? []), { id: answer.body.id as string, delta, reason }]);
          product.stock += delta;
        } else {
          const answer = await admin("PATCH", `/${id}`, change);
          expect([200, 202]).toContain(answer.status);
          Object.assign(product, v.parse(UpdateProductRequest, change));
        }
      }
    });
    await until("every accepted change applied", async () => {
      const bySku = await listed();
      return [...expected.values()].every((p) => Bun.deepEquals(bySku.get(p.sku), p)) ? true : undefined;
    }, 30_000).catch(async (error) => {
      const bySku = await listed();
      expect([...expected.values()].filter((p) => !Bun.deepEquals(bySku.get(p.sku), p)).map((p) => ({ expected: p, got: bySku.get(p.sku) }))).toEqual([]);
      throw error;
    });

    // The ledger keeps each adjustment's reason exactly as sent, astral characters and all.
    const adjustments = [...applied.values()].flat();
    const kept = await sql<{ id: string; delta: number; reason: string }[]>`
      SELECT command_id::text AS id, delta, reason FROM stock_movements WHERE command_id = ANY(${adjustments.map((a) => a.id)}::uuid[])`;
    const byAdjustment = new Map(kept.map((k) => [k.id, k]));
    expect(adjustments.filter((a) => !Bun.deepEquals(byAdjustment.get(a.id), a))).toEqual([]);
    expect(deadLettered(new Set(expected.keys()))).toEqual([]);
    console.log(`generated catalog requests: ${creates.length} creates, ${changes.length * 2} changes, ${adjustments.length} adjustments applied`);
  }, 300_000);
});
