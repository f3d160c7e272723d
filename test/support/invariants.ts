import { expect } from "bun:test";
import { sql, type Sql } from "./db.ts";
import type { Watcher } from "./kafka.ts";
import { topics } from "./kafka.ts";

/** `detail` says, when the wait fails, how far it got: which of the two halves of the pipeline is behind. */
async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>, detail = () => "") {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; ${detail()}`);
    await Bun.sleep(250);
  }
}

/**
 * The contract's promises, checked after a fault: every accepted order reached exactly one
 * terminal status; nothing is stored twice; stock adds up, and so does the stock ledger, which
 * holds one movement per placed order and product; each order has exactly one outcome
 * event and at most one confirmation once duplicates (same message id) are set aside. `db` is the
 * database the shop wrote to: the run's, unless the test runs its own server.
 */
export async function expectInvariants({ accepted, products, watcher, timeoutMs = 120_000, db = sql }: {
  accepted: string[]; products: Map<string, number>; watcher: Watcher; timeoutMs?: number; db?: Sql;
}) {
  expect(new Set(accepted).size).toBe(accepted.length);

  let open: Record<string, number> = {};
  await waitFor(`${accepted.length} orders to reach a terminal status`, timeoutMs, async () => {
    const rows = await db<{ status: string; n: number }[]>`
      SELECT COALESCE(o.status, 'not stored') AS status, count(*)::int AS n FROM unnest(${accepted}::uuid[]) AS a(id)
      LEFT JOIN orders o ON o.id = a.id WHERE o.id IS NULL OR o.status NOT IN ('confirmed', 'rejected') GROUP BY 1`;
    open = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    return rows.length === 0;
  }, () => `still open: ${JSON.stringify(open)}`);

  const productIds = [...products.keys()];
  const [{ duplicates }] = await db<[{ duplicates: number }]>`
    SELECT count(*)::int AS duplicates FROM (
      SELECT order_id, product_id FROM order_items WHERE product_id = ANY(${productIds})
      GROUP BY order_id, product_id HAVING count(*) > 1) d`;
  expect(duplicates).toBe(0);

  const rows = await db<{ id: string; stock: number; sold: number }[]>`
    SELECT p.id, p.stock, COALESCE(sum(i.quantity) FILTER (WHERE o.status IN ('placed', 'confirmed')), 0)::int AS sold
    FROM products p LEFT JOIN order_items i ON i.product_id = p.id LEFT JOIN orders o ON o.id = i.order_id
    WHERE p.id = ANY(${productIds}) GROUP BY p.id, p.stock`;
  for (const row of rows) {
    expect(row.stock).toBeGreaterThanOrEqual(0);
    expect({ product: row.id, total: row.stock + row.sold }).toEqual({ product: row.id, total: products.get(row.id)! });
  }
  await expectLedger(productIds, db);

  const outcomeTopics = new Set<string>([topics.placed, topics.rejected]);
  await watcher.until((seen) => {
    const done = new Set(seen.filter((m) => outcomeTopics.has(m.topic)).map((m) => m.key));
    return accepted.every((id) => done.has(id));
  }, timeoutMs, "an outcome event for every accepted order");
  const confirmedInDb = new Set((await db<{ id: string }[]>`SELECT id FROM orders WHERE id = ANY(${accepted}::uuid[]) AND status = 'confirmed'`).map((r) => r.id));
  await watcher.until((seen) => {
    const done = new Set(seen.filter((m) => m.topic === topics.confirmed).map((m) => m.key));
    return [...confirmedInDb].every((id) => done.has(id));
  }, timeoutMs, "an OrderConfirmed for every confirmed order");

  const byOrder = new Map<string, Map<string, Set<string>>>();
  for (const m of watcher.seen) {
    if (!m.key || !m.json?.id || m.topic === topics.commands || m.topic === topics.dlq) continue;
    const ids = byOrder.get(m.key) ?? new Map<string, Set<string>>();
    ids.set(m.topic, (ids.get(m.topic) ?? new Set()).add(m.json.id));
    byOrder.set(m.key, ids);
  }
  const wrong: string[] = [];
  for (const id of accepted) {
    const ids = byOrder.get(id) ?? new Map<string, Set<string>>();
    const outcomes = (ids.get(topics.placed)?.size ?? 0) + (ids.get(topics.rejected)?.size ?? 0);
    const confirmations = ids.get(topics.confirmed)?.size ?? 0;
    if (outcomes !== 1 || confirmations > 1 || (confirmations === 1) !== confirmedInDb.has(id)) wrong.push(`${id}: ${outcomes} outcomes, ${confirmations} confirmations`);
  }
  expect(wrong).toEqual([]);
}

/**
 * The stock ledger agrees with the stock: a product's movements sum to its stock, and its order
 * movements are exactly the units its placed and confirmed orders hold, one movement per order line.
 */
export async function expectLedger(productIds: string[], db: Sql = sql) {
  const rows = await db<{ id: string; stock: number; ledger: number; reserved: number; sold: number; lines: number; movements: number }[]>`
    SELECT p.id, p.stock,
      (SELECT COALESCE(sum(m.delta), 0)::int FROM stock_movements m WHERE m.product_id = p.id) AS ledger,
      (SELECT COALESCE(-sum(m.delta), 0)::int FROM stock_movements m WHERE m.product_id = p.id AND m.kind = 'order') AS reserved,
      (SELECT count(*)::int FROM stock_movements m WHERE m.product_id = p.id AND m.kind = 'order') AS movements,
      (SELECT COALESCE(sum(i.quantity), 0)::int FROM order_items i JOIN orders o ON o.id = i.order_id
        WHERE i.product_id = p.id AND o.status IN ('placed', 'confirmed')) AS sold,
      (SELECT count(*)::int FROM order_items i JOIN orders o ON o.id = i.order_id
        WHERE i.product_id = p.id AND o.status IN ('placed', 'confirmed')) AS lines
    FROM products p WHERE p.id = ANY(${productIds})`;
  expect(rows.length).toBe(productIds.length);
  for (const r of rows) {
    expect({ product: r.id, ledger: r.ledger, reserved: r.reserved, movements: r.movements })
      .toEqual({ product: r.id, ledger: r.stock, reserved: r.sold, movements: r.lines });
  }
}
