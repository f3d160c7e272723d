import type { Order } from "../orders/schemas.ts";
import { decodeCursor, encodeCursor, idRange, nameWords, type OrderSearch } from "../orders/search.ts";
import type { OrderStatus } from "../orders/status.ts";
import type { Sql, Tx } from "./client.ts";
import { asOrder, orderColumns } from "./orders.ts";

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
const literal = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * What a status implies of the columns migration 008 indexes partially: so a filter on a status
 * that few orders have reads its own small index. `placed` and `confirmed` have none: an index on
 * what the confirmation changes would cost every order a HOT update, and both are common anyway.
 */
/** How many of the newest orders a search looks among before it asks the indexes. */
const WALK = 5_000;

const implied = (sql: Tx, status: OrderStatus) => {
  switch (status) {
    case "shipped": return sql`AND o.shipped_at IS NOT NULL`;
    case "delivered": return sql`AND o.delivered_at IS NOT NULL`;
    case "cancelled": return sql`AND o.cancelled_at IS NOT NULL`;
    case "rejected": return sql`AND o.reason IS NOT NULL`;
    default: return sql``;
  }
};

/**
 * The admin's order list: a page of orders newest first, filtered by status and by `q`, which
 * matches an order id prefix, an email from its start, or each word of a name from its start; the
 * page is read one more than asked, to know if it is the last. Each search is planned for its own
 * values: a plan cached for any value (postgres.js prepares every statement) cannot use the email
 * index for `LIKE $1`.
 *
 * `q` is looked for two ways, as neither is fast for every `q`, and PostgreSQL cannot tell which
 * will be (it guesses a prefix matches about 2 % of the orders, whatever the prefix). First among
 * the newest WALK orders: a `q` many orders match (a common name) fills its page there, in
 * milliseconds. Otherwise its matches are few, or old: they are found through their indexes and
 * sorted. Measured over 1,000,000 orders (`bun run bench --mode search`): PostgreSQL's own plan
 * walked every order for a prefix nothing matched (7.4 s), and sorting every match of a common name
 * took 1.9 s; each way alone is under 20 ms where it is used.
 */
export const searchOrders = (sql: Sql, search: OrderSearch) =>
  sql.begin(async (tx) => {
    await tx`SET LOCAL plan_cache_mode = force_custom_plan`;
    return search_(tx, search);
  });

async function search_(sql: Tx, { q, status, cursor, limit }: OrderSearch): Promise<{ items: Order[]; nextCursor: string | null }> {
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  const filters = sql`
    ${status ? sql`AND o.status = ${status} ${implied(sql, status)}` : sql``}
    ${after ? sql`AND (o.created_at, o.id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : sql``}`;
  const page = sql`ORDER BY o.created_at DESC, o.id DESC LIMIT ${limit + 1}`;
  const columns = sql`${orderColumns(sql)}, to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorAt"`;

  let rows: (Order & { cursorAt: string })[];
  if (q) {
    const matches = [sql`lower(o.customer_email) LIKE ${`${literal(q.toLowerCase())}%`}`];
    const range = idRange(q);
    if (range) matches.push(sql`o.id BETWEEN ${range[0]}::uuid AND ${range[1]}::uuid`);
    // An email, an order number, the start of an email with its digits: nobody's name, and each has
    // an exact btree index. Walking the newest orders for them found nothing and cost 30 ms.
    const words = q.includes("@") || /\d/.test(q) ? [] : nameWords(q);
    if (words.length > 0) matches.push(sql`to_tsvector('simple', o.customer_name) @@ to_tsquery('simple', ${words.map((w) => `${w}:*`).join(" & ")})`);
    const anyOf = matches.reduce((a, b) => sql`${a} OR ${b}`);
    rows = words.length === 0 ? [] : await sql`
      SELECT ${columns} FROM (SELECT * FROM orders o WHERE TRUE ${filters} ORDER BY o.created_at DESC, o.id DESC LIMIT ${WALK}) o
      WHERE (${anyOf}) ${page}`;
    if (rows.length <= limit) {
      rows = await sql`
        WITH matched AS MATERIALIZED (
          SELECT o.id, o.created_at FROM orders o WHERE (${anyOf}) ${filters})
        SELECT ${columns} FROM orders o
        JOIN (SELECT id FROM matched o ORDER BY o.created_at DESC, o.id DESC LIMIT ${limit + 1}) m ON m.id = o.id ${page}`;
    }
  } else {
    rows = await sql`SELECT ${columns} FROM orders o WHERE TRUE ${filters} ${page}`;
  }
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return {
    items: shown.map(({ cursorAt: _, ...order }) => asOrder(order)),
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.cursorAt, id: last.id }) : null,
  };
}
