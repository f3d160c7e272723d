import type { Order, StatusEvent, Viewer } from "../orders/schemas.ts";
import type { Placement, PricedItem } from "../orders/placement.ts";
import type { OrderStatus, RejectionReason } from "../orders/status.ts";
import type { Sql, Tx } from "./client.ts";

/** What is needed to publish an order's outcome again: the stored result, not a new decision. */
export type StoredOutcome = {
  id: string; status: Exclude<OrderStatus, "pending">; reason: RejectionReason | null;
  items: PricedItem[]; totalCents: number; currency: string; updatedAt: Date;
};

export type NewOrder = Placement & {
  customer: { name: string; email: string }; owner?: string; correlationId?: string;
  /** When the order was accepted, which is its creation time for the customer. */
  acceptedAt: Date;
};

export const STATUS_CHANNEL = "order_status";

const itemsJson = (sql: Sql | Tx) => sql`
  COALESCE((SELECT json_agg(json_build_object('productId', i.product_id, 'name', i.name, 'quantity', i.quantity, 'unitPriceCents', i.unit_price_cents) ORDER BY i.product_id)
            FROM order_items i WHERE i.order_id = o.id), '[]'::json)`;

export async function findOutcomes(tx: Tx, ids: readonly string[]): Promise<Map<string, StoredOutcome>> {
  const rows = await tx<StoredOutcome[]>`
    SELECT o.id, o.status, o.reason, ${itemsJson(tx)} AS items, o.total_cents::int AS "totalCents", o.currency,
           o.updated_at AS "updatedAt"
    FROM orders o WHERE o.id = ANY(${ids as string[]}::uuid[])`;
  return new Map(rows.map((r) => [r.id, r]));
}

export async function insertOrders(tx: Tx, orders: readonly NewOrder[], at: Date): Promise<void> {
  if (orders.length === 0) return;
  await tx`INSERT INTO orders ${tx(orders.map((o) => ({
    id: o.orderId,
    status: o.status,
    reason: o.status === "rejected" ? o.reason : null,
    customer_name: o.customer.name,
    customer_email: o.customer.email,
    owner: o.owner ?? null,
    total_cents: o.totalCents,
    currency: o.currency,
    correlation_id: o.correlationId ?? null,
    created_at: o.acceptedAt,
    updated_at: at,
  })))}`;
  const items = orders.flatMap((o) => o.items.map((i) => ({
    order_id: o.orderId, product_id: i.productId, name: i.name, quantity: i.quantity, unit_price_cents: i.unitPriceCents,
  })));
  if (items.length > 0) await tx`INSERT INTO order_items ${tx(items)}`;
}

/** Moves placed orders to confirmed and returns every given order that is confirmed now, newly or before. */
export async function confirmOrders(tx: Tx, ids: readonly string[], at: Date) {
  return tx<{ id: string; status: OrderStatus; createdAt: Date; updatedAt: Date; changed: boolean }[]>`
    WITH changed AS (
      UPDATE orders SET status = 'confirmed', updated_at = ${at}::timestamptz
      WHERE id = ANY(${ids as string[]}::uuid[]) AND status = 'placed'
      RETURNING id)
    SELECT o.id, CASE WHEN c.id IS NULL THEN o.status ELSE 'confirmed' END AS status, o.created_at AS "createdAt",
           CASE WHEN c.id IS NULL THEN o.updated_at ELSE ${at}::timestamptz END AS "updatedAt", c.id IS NOT NULL AS changed
    FROM orders o LEFT JOIN changed c ON c.id = o.id
    WHERE o.id = ANY(${ids as string[]}::uuid[])`;
}

/** Announces status changes to every API instance when, and only if, the transaction commits. */
export async function notifyStatusChanges(tx: Tx, changes: readonly StatusEvent[]): Promise<void> {
  // A NOTIFY payload must stay under 8000 bytes.
  for (let i = 0; i < changes.length; i += 40) {
    await tx`SELECT pg_notify(${STATUS_CHANNEL}, ${JSON.stringify(changes.slice(i, i + 40))})`;
  }
}

const orderColumns = (sql: Sql) => sql`
  o.id, o.status, o.reason, json_build_object('name', o.customer_name, 'email', o.customer_email) AS customer,
  ${itemsJson(sql)} AS items, o.total_cents::int AS "totalCents", o.currency,
  to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  to_char(o.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"`;

const visibleTo = (sql: Sql, viewer: Viewer) => (viewer.admin ? sql`TRUE` : sql`o.owner = ${viewer.owner}`);

const withoutNullReason = ({ reason, ...order }: Order & { reason?: RejectionReason | null }): Order =>
  reason ? { ...order, reason } : order;

export async function getOrder(sql: Sql, id: string, viewer: Viewer): Promise<Order | undefined> {
  const [row] = await sql<Order[]>`SELECT ${orderColumns(sql)} FROM orders o WHERE o.id = ${id} AND ${visibleTo(sql, viewer)}`;
  return row && withoutNullReason(row);
}

export async function listOrders(sql: Sql, viewer: Viewer, limit: number): Promise<Order[]> {
  const rows = await sql<Order[]>`
    SELECT ${orderColumns(sql)} FROM orders o WHERE ${visibleTo(sql, viewer)}
    ORDER BY o.created_at DESC, o.id LIMIT ${limit}`;
  return rows.map(withoutNullReason);
}

/** The statuses of those of `ids` that are in the database: one query, however many streams watch them. */
export async function getStatuses(sql: Sql, ids: readonly string[]): Promise<StatusEvent[]> {
  const rows = await sql<{ id: string; status: OrderStatus; reason: RejectionReason | null; at: Date }[]>`
    SELECT id, status, reason, updated_at AS at FROM orders WHERE id = ANY(${ids as string[]}::uuid[])`;
  return rows.map((row) => ({ id: row.id, status: row.status, ...(row.reason ? { reason: row.reason } : {}), at: row.at.toISOString() }));
}
