import type { Canceller, OrderState } from "../orders/lifecycle.ts";
import type { OrderEvent, Viewer } from "../orders/schemas.ts";
import type { Sql, Tx } from "./client.ts";
import { notifyStock } from "./catalogFeed.ts";
import { visibleTo } from "./orders.ts";

/** A lifecycle command's outcome as stored: the event it led to, or its refusal. */
export type StoredEvent = { orderId: string; commandId: string; type: string; data: Record<string, unknown>; at: Date };

/** What one order became in a batch: its last status, and what each step on the way set. */
export type Transition = {
  orderId: string;
  status: "shipped" | "delivered" | "cancelled";
  shipment?: { carrier: string; trackingNumber: string };
  cancellation?: { by: Canceller; reason?: string };
};

/** The outcomes of the commands among `commandIds` that were decided before. */
export async function findOutcomes(tx: Tx, commandIds: readonly string[]): Promise<Map<string, StoredEvent>> {
  if (commandIds.length === 0) return new Map();
  const rows = await tx<StoredEvent[]>`
    SELECT order_id AS "orderId", command_id AS "commandId", type, data, at
    FROM order_events WHERE command_id = ANY(${commandIds as string[]}::uuid[])`;
  return new Map(rows.map((r) => [r.commandId, r]));
}

/**
 * Locks the orders, in id order as every batch does so that two cannot deadlock, and returns what
 * the decisions need of each. Whoever else wants to change one of them waits for this transaction.
 */
export async function lockOrders(tx: Tx, ids: readonly string[]): Promise<Map<string, OrderState>> {
  if (ids.length === 0) return new Map();
  const rows = await tx<({ id: string } & OrderState)[]>`
    SELECT o.id, o.status, ${reservedJson(tx)} AS items
    FROM orders o WHERE o.id = ANY(${ids as string[]}::uuid[]) ORDER BY o.id FOR UPDATE OF o`;
  return new Map(rows.map(({ id, ...state }) => [id, state]));
}

const reservedJson = (sql: Sql | Tx) => sql`
  COALESCE((SELECT json_agg(json_build_object('productId', i.product_id, 'quantity', i.quantity) ORDER BY i.product_id)
            FROM order_items i WHERE i.order_id = o.id), '[]'::json)`;

/** An order's state as the viewer may see it, unlocked: what the API asks before it sends a command. */
export async function orderState(sql: Sql, id: string, viewer: Viewer): Promise<OrderState | undefined> {
  const [row] = await sql<OrderState[]>`
    SELECT o.status, ${reservedJson(sql)} AS items FROM orders o
    WHERE o.id = ${id} AND ${visibleTo(sql, viewer)}`;
  return row;
}

/** A lifecycle command's outcome, if it was decided. */
export const commandOutcome = async (sql: Sql, commandId: string): Promise<StoredEvent | undefined> =>
  (await sql<StoredEvent[]>`
    SELECT order_id AS "orderId", command_id AS "commandId", type, data, at FROM order_events WHERE command_id = ${commandId}`)[0];

/** Writes each order's new status and what came with it, one statement for the batch. */
export async function applyTransitions(tx: Tx, transitions: readonly Transition[], at: Date): Promise<void> {
  if (transitions.length === 0) return;
  const column = <T>(f: (t: Transition) => T | undefined) => transitions.map((t) => f(t) ?? null);
  await tx`
    UPDATE orders o SET
      status = t.status, updated_at = ${at}::timestamptz,
      shipped_at = CASE WHEN t.carrier IS NOT NULL THEN ${at}::timestamptz ELSE o.shipped_at END,
      delivered_at = CASE WHEN t.status = 'delivered' THEN ${at}::timestamptz ELSE o.delivered_at END,
      cancelled_at = CASE WHEN t.status = 'cancelled' THEN ${at}::timestamptz ELSE o.cancelled_at END,
      carrier = COALESCE(t.carrier, o.carrier), tracking_number = COALESCE(t.tracking_number, o.tracking_number),
      cancelled_by = COALESCE(t.cancelled_by, o.cancelled_by), cancel_reason = COALESCE(t.cancel_reason, o.cancel_reason)
    FROM unnest(${column((t) => t.orderId)}::uuid[], ${column((t) => t.status)}::text[],
                ${column((t) => t.shipment?.carrier)}::text[], ${column((t) => t.shipment?.trackingNumber)}::text[],
                ${column((t) => t.cancellation?.by)}::text[], ${column((t) => t.cancellation?.reason)}::text[])
      AS t(id, status, carrier, tracking_number, cancelled_by, cancel_reason)
    WHERE o.id = t.id`;
}

export async function recordOutcomes(tx: Tx, events: readonly StoredEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx`
    INSERT INTO order_events (order_id, command_id, type, data, at)
    SELECT e.order_id, e.command_id, e.type, e.data::jsonb, e.at
    FROM unnest(${events.map((e) => e.orderId)}::uuid[], ${events.map((e) => e.commandId)}::uuid[],
                ${events.map((e) => e.type)}::text[], ${events.map((e) => JSON.stringify(e.data))}::text[],
                ${events.map((e) => e.at.toISOString())}::timestamptz[]) AS e(order_id, command_id, type, data, at)`;
}

/** An order's history after its placement, oldest first: what the operations page shows beside its timeline. */
export async function orderHistory(sql: Sql, orderId: string) {
  return sql<OrderEvent[]>`
    SELECT type, command_id AS "commandId", data, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
    FROM order_events WHERE order_id = ${orderId} ORDER BY id`;
}

/** The units of cancelled orders, back in stock: one ledger movement of kind `cancellation` per order and product. */
export type Return = { orderId: string; productId: string; quantity: number };

/**
 * Gives units back under the products' locks (taken in id order, as placement takes them), writes
 * their ledger movements with the stock each leaves, and tells open storefronts once it commits.
 * The ledger's unique index on (order, product) for cancellations refuses a second return.
 */
export async function returnStock(tx: Tx, returns: readonly Return[], at: Date): Promise<void> {
  if (returns.length === 0) return;
  const productIds = [...new Set(returns.map((r) => r.productId))];
  const locked = await tx<{ id: string; stock: number; archived: boolean }[]>`
    SELECT id, stock, archived FROM products WHERE id = ANY(${productIds}) ORDER BY id FOR UPDATE`;
  const stock = new Map(locked.map((p) => [p.id, p.stock]));
  const movements = returns.filter((r) => stock.has(r.productId)).map((r) => {
    const stockAfter = stock.get(r.productId)! + r.quantity;
    stock.set(r.productId, stockAfter);
    return { ...r, stockAfter };
  });
  const added = new Map<string, number>();
  for (const m of movements) added.set(m.productId, (added.get(m.productId) ?? 0) + m.quantity);
  await Promise.all([
    tx`
      UPDATE products p SET stock = p.stock + r.units
      FROM unnest(${[...added.keys()]}::text[], ${[...added.values()]}::int[]) AS r(id, units) WHERE p.id = r.id`,
    tx`
      INSERT INTO stock_movements (product_id, kind, delta, stock_after, order_id, at)
      SELECT m.product_id, 'cancellation', m.delta, m.stock_after, m.order_id, ${at}::timestamptz
      FROM unnest(${movements.map((m) => m.productId)}::text[], ${movements.map((m) => m.quantity)}::int[],
                  ${movements.map((m) => m.stockAfter)}::int[], ${movements.map((m) => m.orderId)}::uuid[])
        AS m(product_id, delta, stock_after, order_id)`,
    notifyStock(tx, locked.map((p) => ({ id: p.id, stock: stock.get(p.id)!, archived: p.archived }))),
  ]);
}
