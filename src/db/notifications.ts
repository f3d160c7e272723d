import type { Order } from "../orders/schemas.ts";
import { asOrder, orderColumns } from "./orders.ts";
import type { Sql, Tx } from "./client.ts";

/** A mail sent or given up on: the row that keeps it from being sent again. */
export type MailRecord = { orderId: string; kind: string; status: "sent" | "failed"; messageId: string; recipient: string; error?: string };

/** Which of (order, kind) have had their mail, sent or failed, as `${orderId} ${kind}`. */
export async function recordedMails(sql: Sql | Tx, keys: readonly { orderId: string; kind: string }[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await sql<{ key: string }[]>`
    SELECT n.order_id || ' ' || n.kind AS key FROM notifications n
    JOIN unnest(${keys.map((k) => k.orderId)}::uuid[], ${keys.map((k) => k.kind)}::text[]) AS k(order_id, kind)
      ON n.order_id = k.order_id AND n.kind = k.kind`;
  return new Set(rows.map((r) => r.key));
}

/** Records mails, each once: a row already there (an instance that sent the same mail meanwhile) is kept. */
export async function recordMails(sql: Sql | Tx, records: readonly MailRecord[]): Promise<void> {
  if (records.length === 0) return;
  const column = <K extends keyof MailRecord>(key: K) => records.map((r) => r[key] ?? null);
  await sql`
    INSERT INTO notifications (order_id, kind, status, message_id, recipient, error)
    SELECT * FROM unnest(${column("orderId")}::uuid[], ${column("kind")}::text[], ${column("status")}::text[],
                         ${column("messageId")}::text[], ${column("recipient")}::text[], ${column("error")}::text[])
    ON CONFLICT (order_id, kind) DO NOTHING`;
}

/** The orders among `ids` as the contract has them, whoever owns them: what their mails say. */
export async function ordersByIds(sql: Sql | Tx, ids: readonly string[]): Promise<Map<string, Order>> {
  if (ids.length === 0) return new Map();
  const rows = await sql<Order[]>`SELECT ${orderColumns(sql)} FROM orders o WHERE o.id = ANY(${ids as string[]}::uuid[])`;
  return new Map(rows.map((row) => [row.id, asOrder(row)]));
}

/** Mails sent and given up on, for the operations page. */
export async function countMails(sql: Sql): Promise<{ sent: number; failed: number }> {
  const rows = await sql<{ status: "sent" | "failed"; count: number }[]>`
    SELECT status, count(*)::int AS count FROM notifications GROUP BY status`;
  const count = (status: string) => rows.find((r) => r.status === status)?.count ?? 0;
  return { sent: count("sent"), failed: count("failed") };
}
