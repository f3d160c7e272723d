import type { ShippingAddress } from "../orders/address.ts";
import type { Order, StatusEvent, Viewer } from "../orders/schemas.ts";
import type { Placement, PricedItem } from "../orders/placement.ts";
import type { OrderStatus, RejectionReason } from "../orders/status.ts";
import { chunks, notifyAll, type Sql, type Tx } from "./client.ts";

/** What is needed to publish an order's outcome again: the stored result, not a new decision. */
export type StoredOutcome = {
  id: string; status: Exclude<OrderStatus, "pending">; reason: RejectionReason | null;
  items: PricedItem[]; totalCents: number; currency: string; updatedAt: Date; placedAt: Date | null;
};

export type NewOrder = Placement & {
  customer: { name: string; email: string }; shippingAddress?: ShippingAddress; owner?: string; correlationId?: string;
  /** When the order was accepted, which is its creation time for the customer. */
  acceptedAt: Date;
  /** The traceparent its command came with, if any: the trace its later commands join. */
  traceParent?: string;
};

export const STATUS_CHANNEL = "order_status";

const itemsJson = (sql: Sql | Tx) => sql`
  COALESCE((SELECT json_agg(json_build_object('productId', i.product_id, 'name', i.name, 'quantity', i.quantity, 'unitPriceCents', i.unit_price_cents) ORDER BY i.product_id)
            FROM order_items i WHERE i.order_id = o.id), '[]'::json)`;

export async function findOutcomes(tx: Tx, ids: readonly string[]): Promise<Map<string, StoredOutcome>> {
  const rows = await tx<StoredOutcome[]>`
    SELECT o.id, o.status, o.reason, ${itemsJson(tx)} AS items, o.total_cents::float8 AS "totalCents", o.currency,
           o.updated_at AS "updatedAt", o.placed_at AS "placedAt"
    FROM orders o WHERE o.id = ANY(${ids as string[]}::uuid[])`;
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * One statement per table for the whole batch, with one array per column: the statement's text is
 * the same whatever the batch's size, so PostgreSQL plans it once per connection, where a multi-row
 * VALUES list would be a new statement, parsed and planned again, for every size of batch.
 */
export async function insertOrders(tx: Tx, orders: readonly NewOrder[], at: Date): Promise<void> {
  if (orders.length === 0) return;
  const items = orders.flatMap((o) => o.items.map((i) => ({ orderId: o.orderId, ...i })));
  // Sent together: one round trip for both.
  await Promise.all([tx`
    INSERT INTO orders (id, status, reason, customer_name, customer_email, shipping_address, owner, total_cents, currency, correlation_id,
                        created_at, updated_at, placed_at, trace_parent)
    SELECT o.id, o.status, o.reason, o.customer_name, o.customer_email, o.shipping_address::jsonb, o.owner, o.total_cents, o.currency, o.correlation_id,
           o.created_at, ${at}::timestamptz, CASE WHEN o.status = 'placed' THEN ${at}::timestamptz END, o.trace_parent
    FROM unnest(${orders.map((o) => o.orderId)}::uuid[], ${orders.map((o) => o.status)}::text[],
                ${orders.map((o) => (o.status === "rejected" ? o.reason : null))}::text[],
                ${orders.map((o) => o.customer.name)}::text[], ${orders.map((o) => o.customer.email)}::text[],
                ${orders.map((o) => (o.shippingAddress ? JSON.stringify(o.shippingAddress) : null))}::text[],
                ${orders.map((o) => o.owner ?? null)}::text[], ${orders.map((o) => o.totalCents)}::bigint[],
                ${orders.map((o) => o.currency)}::text[], ${orders.map((o) => o.correlationId ?? null)}::text[],
                ${orders.map((o) => o.acceptedAt.toISOString())}::timestamptz[], ${orders.map((o) => o.traceParent ?? null)}::text[])
      AS o(id, status, reason, customer_name, customer_email, shipping_address, owner, total_cents, currency, correlation_id, created_at, trace_parent)`,
  items.length === 0 ? [] : tx`
    INSERT INTO order_items (order_id, product_id, name, quantity, unit_price_cents)
    SELECT * FROM unnest(${items.map((i) => i.orderId)}::uuid[], ${items.map((i) => i.productId)}::text[],
                         ${items.map((i) => i.name)}::text[], ${items.map((i) => i.quantity)}::int[],
                         ${items.map((i) => i.unitPriceCents)}::int[])`,
  ]);
}

/**
 * Moves placed orders to confirmed and returns every given order with when it was confirmed (null
 * if it never was: rejected, or cancelled while placed), newly or before, whatever came after.
 */
export async function markConfirmed(tx: Tx, ids: readonly string[], at: Date) {
  return tx<{ id: string; status: OrderStatus; createdAt: Date; confirmedAt: Date | null; changed: boolean }[]>`
    WITH changed AS (
      UPDATE orders SET status = 'confirmed', updated_at = ${at}::timestamptz, confirmed_at = ${at}::timestamptz
      WHERE id = ANY(${ids as string[]}::uuid[]) AND status = 'placed'
      RETURNING id)
    SELECT o.id, CASE WHEN c.id IS NULL THEN o.status ELSE 'confirmed' END AS status, o.created_at AS "createdAt",
           CASE WHEN c.id IS NOT NULL THEN ${at}::timestamptz
                -- Confirmed by a binary older than confirmed_at (a rolling upgrade): then it is the last change.
                ELSE COALESCE(o.confirmed_at, CASE WHEN o.status = 'confirmed' THEN o.updated_at END) END AS "confirmedAt",
           c.id IS NOT NULL AS changed
    FROM orders o LEFT JOIN changed c ON c.id = o.id
    WHERE o.id = ANY(${ids as string[]}::uuid[])`;
}

/** A NOTIFY payload must stay under 8000 bytes: 30 status changes fit, each with a traceparent and the longest reason. */
const CHANGES_PER_NOTIFY = 30;

/** A status change as announced: with the traceparent of the message that made it, the trace its delivery joins. */
export type StatusChange = StatusEvent & { traceparent?: string };

/** Announces status changes to every API instance when, and only if, the transaction commits. */
export async function notifyStatusChanges(tx: Tx, changes: readonly StatusChange[]): Promise<void> {
  await notifyAll(tx, STATUS_CHANNEL, chunks(changes, CHANGES_PER_NOTIFY).map((part) => JSON.stringify(part)));
}

/** Each step the order went through, with its time, in the order they happened. */
const timelineJson = (sql: Sql | Tx) => sql`
  (SELECT json_agg(json_build_object('status', s.status, 'at', to_char(s.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) ORDER BY s.n)
   FROM (VALUES (1, 'pending', o.created_at), (2, 'placed', o.placed_at), (3, 'confirmed', o.confirmed_at), (4, 'shipped', o.shipped_at),
                (5, 'delivered', o.delivered_at), (6, 'rejected', CASE WHEN o.status = 'rejected' THEN o.updated_at END),
                (7, 'cancelled', o.cancelled_at)) AS s(n, status, at)
   WHERE s.at IS NOT NULL)`;

/**
 * The total as float8, exact below 2^53: a bigint, which postgres.js reads as a string, and past int's
 * 2^31 as soon as 22 units of the highest price are ordered.
 */
export const orderColumns = (sql: Sql | Tx) => sql`
  o.id, o.status, o.reason, json_build_object('name', o.customer_name, 'email', o.customer_email) AS customer,
  o.shipping_address AS "shippingAddress",
  CASE WHEN o.carrier IS NOT NULL THEN json_build_object('carrier', o.carrier, 'trackingNumber', o.tracking_number) END AS shipment,
  CASE WHEN o.cancelled_by IS NOT NULL THEN json_strip_nulls(json_build_object('by', o.cancelled_by, 'reason', o.cancel_reason)) END AS cancellation,
  ${timelineJson(sql)} AS timeline,
  ${itemsJson(sql)} AS items, o.total_cents::float8 AS "totalCents", o.currency,
  to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  to_char(o.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"`;

export const visibleTo = (sql: Sql, viewer: Viewer) =>
  (viewer.admin ? sql`TRUE` : "order" in viewer ? sql`o.id = ${viewer.order}` : sql`o.owner = ${viewer.owner}`);

type Row = Order & { reason?: RejectionReason | null; shippingAddress?: Order["shippingAddress"] | null; shipment?: Order["shipment"] | null; cancellation?: Order["cancellation"] | null };

/** The row as the contract has it: a field the order does not have is left out, not null. */
export const asOrder = (row: Row): Order =>
  Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null)) as Order;

export async function getOrder(sql: Sql, id: string, viewer: Viewer): Promise<Order | undefined> {
  const [row] = await sql<Order[]>`SELECT ${orderColumns(sql)} FROM orders o WHERE o.id = ${id} AND ${visibleTo(sql, viewer)}`;
  return row && asOrder(row);
}

export async function listOrders(sql: Sql, viewer: Viewer, limit: number): Promise<Order[]> {
  const rows = await sql<Order[]>`
    SELECT ${orderColumns(sql)} FROM orders o WHERE ${visibleTo(sql, viewer)}
    ORDER BY o.created_at DESC, o.id LIMIT ${limit}`;
  return rows.map(asOrder);
}

/** The statuses of those of `ids` that are in the database: one query, however many streams watch them. */
export async function getStatuses(sql: Sql, ids: readonly string[]): Promise<StatusEvent[]> {
  const rows = await sql<{ id: string; status: OrderStatus; reason: RejectionReason | null; at: Date }[]>`
    SELECT id, status, reason, updated_at AS at FROM orders WHERE id = ANY(${ids as string[]}::uuid[])`;
  return rows.map((row) => ({ id: row.id, status: row.status, ...(row.reason ? { reason: row.reason } : {}), at: row.at.toISOString() }));
}

/** The traceparent the order was placed with, or null: none, or not stored (yet). */
export async function orderTraceParent(sql: Sql, id: string): Promise<string | null> {
  const [row] = await sql<{ traceParent: string | null }[]>`SELECT trace_parent AS "traceParent" FROM orders WHERE id = ${id}::uuid`;
  return row?.traceParent ?? null;
}
