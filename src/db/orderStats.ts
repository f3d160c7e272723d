import { REJECTION_REASONS, STATUSES, type OrderStatus, type RejectionReason } from "../orders/status.ts";
import type { Sql } from "./client.ts";

/** A pending order is not stored yet. */
type StoredStatus = Exclude<OrderStatus, "pending">;
export type OrderCounts = { ordersByStatus: Record<StoredStatus, number>; rejectedByReason: Record<RejectionReason, number> };

/** Orders in the database by status, and the rejected ones by reason. Pending orders are not stored yet. */
export async function countOrders(sql: Sql): Promise<OrderCounts> {
  const rows = await sql<{ status: StoredStatus; reason: RejectionReason | null; count: number }[]>`
    SELECT status, reason, count(*)::int AS count FROM orders GROUP BY status, reason`;
  const counts: OrderCounts = {
    ordersByStatus: Object.fromEntries(STATUSES.filter((s) => s !== "pending").map((s) => [s, 0])) as Record<StoredStatus, number>,
    rejectedByReason: Object.fromEntries(REJECTION_REASONS.map((r) => [r, 0])) as Record<RejectionReason, number>,
  };
  for (const { status, reason, count } of rows) {
    counts.ordersByStatus[status] += count;
    if (reason) counts.rejectedByReason[reason] += count;
  }
  return counts;
}

export type Bucket = { at: string; count: number };

/**
 * Orders created in each of `buckets` consecutive intervals of `seconds` that end at `now`, oldest
 * first, empty ones included. The last one ends now, so none of them is a half-counted interval.
 */
export async function ordersPerInterval(sql: Sql, now: Date, seconds: number, buckets: number): Promise<Bucket[]> {
  const from = new Date(now.getTime() - seconds * buckets * 1000);
  const rows = await sql<{ bucket: number; count: number }[]>`
    SELECT floor(extract(epoch FROM created_at - ${from}::timestamptz) / ${seconds})::int AS bucket, count(*)::int AS count
    FROM orders WHERE created_at >= ${from}::timestamptz AND created_at < ${now}::timestamptz
    GROUP BY 1`;
  const counts = new Map(rows.map((r) => [r.bucket, r.count]));
  return Array.from({ length: buckets }, (_, i) => ({
    at: new Date(from.getTime() + i * seconds * 1000).toISOString(),
    count: counts.get(i) ?? 0,
  }));
}
