import type { Order } from "../orders/schemas.ts";
import { decodeCursor, encodeCursor, idRange, nameWords, type OrderSearch } from "../orders/search.ts";
import type { Sql } from "./client.ts";
import { asOrder, orderColumns } from "./orders.ts";

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
const literal = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The admin's order list: a page of orders newest first, filtered by status and by `q`, which
 * matches an order id prefix, an email from its start, or each word of a name from its start. Each
 * condition has its index (migration 007); the page is read one more than asked, to know if it is the last.
 */
export async function searchOrders(sql: Sql, { q, status, cursor, limit }: OrderSearch): Promise<{ items: Order[]; nextCursor: string | null }> {
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  const matches = [];
  if (q) {
    const range = idRange(q);
    if (range) matches.push(sql`o.id BETWEEN ${range[0]}::uuid AND ${range[1]}::uuid`);
    matches.push(sql`lower(o.customer_email) LIKE ${`${literal(q.toLowerCase())}%`}`);
    const words = nameWords(q);
    if (words.length > 0) matches.push(sql`to_tsvector('simple', o.customer_name) @@ to_tsquery('simple', ${words.map((w) => `${w}:*`).join(" & ")})`);
  }
  const anyOf = matches.length === 0 ? sql`TRUE` : matches.reduce((a, b) => sql`${a} OR ${b}`);
  const rows = await sql<(Order & { cursorAt: string })[]>`
    SELECT ${orderColumns(sql)}, to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorAt"
    FROM orders o
    WHERE (${anyOf})
      ${status ? sql`AND o.status = ${status}` : sql``}
      ${after ? sql`AND (o.created_at, o.id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : sql``}
    ORDER BY o.created_at DESC, o.id DESC
    LIMIT ${limit + 1}`;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(({ cursorAt: _, ...order }) => asOrder(order)),
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.cursorAt, id: last.id }) : null,
  };
}
