import postgres from "postgres";
import { Histogram, type LatencySummary } from "./latency.ts";
import { openLoop } from "./openLoop.ts";

/**
 * The admin's order search on a database of many orders (issue 20: p99 ≤ 100 ms over 1,000,000).
 * The orders are made in PostgreSQL itself, from generate_series: a million through the API would
 * take longer than the bench, and the search reads rows, however they were written.
 */

const FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Dennis", "Frances", "John", "Radia", "Ken",
  "Katherine", "Linus", "Sophie", "Tim", "Hedy", "Claude", "Annie", "Niklaus", "Mary", "Guido", "Joan", "Bjarne", "Karen",
  "Leslie", "Shafi", "Whitfield", "Anita", "Vint", "Zoë", "Björn", "Søren", "Chloé", "José", "Mei", "Hiroshi", "Aiko", "Olu", "Priya"];
const LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Ritchie", "Allen", "Backus", "Perlman",
  "Thompson", "Johnson", "Torvalds", "Wilson", "Berners-Lee", "Lamarr", "Shannon", "Easley", "Wirth", "Keller", "van Rossum",
  "Clarke", "Stroustrup", "Jones", "Lamport", "Goldwasser", "Diffie", "Borg", "Cerf", "Nakamura", "Okafor", "Sharma", "García",
  "Müller", "Dubois", "Rossi", "Kowalski", "Andersen", "Chen"];
const DOMAINS = ["example.com", "example.org", "mail.example", "post.example.net"];

const STATUS_SHARES: [string, number][] = [["confirmed", 70], ["delivered", 12], ["shipped", 6], ["cancelled", 5], ["rejected", 5], ["placed", 2]];

/**
 * Adds `count` orders, one item each, spread evenly over the last year in the order they are
 * written, as a shop writes them (so the newest orders share pages, as they would); returns how
 * long it took.
 */
export async function fillOrders(databaseUrl: string, count: number, productIds: readonly string[], log: (line: string) => void): Promise<number> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const started = performance.now();
  try {
    const statuses = STATUS_SHARES.flatMap(([status, share]) => Array<string>(share).fill(status));
    const chunk = 100_000;
    for (let from = 0; from < count; from += chunk) {
      const n = Math.min(chunk, count - from);
      // One statement per chunk, orders and one item each, so a stopped bench leaves no half chunk.
      await sql`
          WITH made AS (
            SELECT gen_random_uuid() AS id, i,
                   ${FIRST}::text[] AS first, ${LAST}::text[] AS last, ${DOMAINS}::text[] AS domains, ${statuses}::text[] AS statuses,
                   now() - (${count}::int - i) * (interval '365 days' / ${count}::int) AS created
            FROM generate_series(${from + 1}::int, ${from + n}::int) AS i)
          , inserted AS (INSERT INTO orders (id, status, reason, customer_name, customer_email, shipping_address, owner, total_cents, currency,
                              created_at, updated_at, placed_at, confirmed_at, shipped_at, delivered_at, cancelled_at,
                              carrier, tracking_number, cancelled_by)
          SELECT id, status, CASE WHEN status = 'rejected' THEN 'out_of_stock' END,
                 name, lower(replace(name, ' ', '.')) || '.' || i || '@' || domains[1 + i % 4],
                 jsonb_build_object('name', name, 'line1', (i % 900 + 1) || ' Market Street', 'city', 'Springfield', 'postalCode', (10000 + i % 89999)::text, 'country', 'US'),
                 md5(i::text), 1000 + i % 9000, 'USD', created, created + interval '1 second',
                 CASE WHEN status <> 'rejected' THEN created END,
                 CASE WHEN status IN ('confirmed', 'shipped', 'delivered') THEN created END,
                 CASE WHEN status IN ('shipped', 'delivered') THEN created + interval '1 day' END,
                 CASE WHEN status = 'delivered' THEN created + interval '3 days' END,
                 CASE WHEN status = 'cancelled' THEN created + interval '1 hour' END,
                 CASE WHEN status IN ('shipped', 'delivered') THEN 'DHL' END,
                 CASE WHEN status IN ('shipped', 'delivered') THEN 'JD' || i END,
                 CASE WHEN status = 'cancelled' THEN 'customer' END
          FROM (SELECT *, first[1 + i % array_length(first, 1)] || ' ' || last[1 + (i / 7) % array_length(last, 1)] AS name,
                          statuses[1 + ((i::bigint * 7919) % array_length(statuses, 1))::int] AS status FROM made) o
          RETURNING id, total_cents)
          INSERT INTO order_items (order_id, product_id, name, quantity, unit_price_cents)
          SELECT o.id, p.id, p.name, 1, p.price_cents
          FROM inserted o
          JOIN products p ON p.id = (${productIds as string[]}::text[])[(1 + o.total_cents % ${productIds.length})::int]`;
      log(`bench: search: ${(from + n).toLocaleString("en-US")} of ${count.toLocaleString("en-US")} orders made`);
    }
    await sql`VACUUM ANALYZE orders`;
    await sql`VACUUM ANALYZE order_items`;
    return (performance.now() - started) / 1000;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** What the operations page asks, in the shares an owner would: the newest orders, a status, a customer, an order number. */
type Kind = "newest" | "status" | "email" | "name" | "id prefix" | "next page";

export type SearchResult = {
  kinds: Record<Kind, { errors: number; latencyMs: LatencySummary }>;
  all: { errors: number; latencyMs: LatencySummary };
};

/** Samples the values searches use from the orders themselves, so every search can find something. */
async function sampleTerms(databaseUrl: string) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ id: string; email: string; name: string }[]>`
      SELECT id::text, customer_email AS email, customer_name AS name FROM orders TABLESAMPLE SYSTEM (1) LIMIT 2000`;
    return rows;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Sends `rate` searches a second for `seconds`, each on its schedule whatever the answers before it (an open loop). */
export async function searchLoad({ url, adminToken, databaseUrl, rate, seconds }: { url: string; adminToken: string; databaseUrl: string; rate: number; seconds: number }): Promise<SearchResult> {
  const terms = await sampleTerms(databaseUrl);
  if (terms.length === 0) throw new Error("no orders to search");
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]!;
  const cursors: string[] = [];
  const plan: [Kind, number][] = [["newest", 20], ["status", 15], ["email", 20], ["name", 20], ["id prefix", 10], ["next page", 15]];
  const kinds = plan.flatMap(([kind, share]) => Array<Kind>(share).fill(kind));
  const query = (kind: Kind): string => {
    const t = pick(terms);
    switch (kind) {
      case "newest": return "limit=20";
      case "status": return `status=${pick(["shipped", "cancelled", "placed", "rejected", "delivered"])}&limit=20`;
      case "email": return `q=${encodeURIComponent(t.email.slice(0, Math.max(6, t.email.indexOf("@"))))}&limit=20`;
      case "name": return `q=${encodeURIComponent(t.name.split(" ").at(-1)!.slice(0, 5))}&limit=20`;
      case "id prefix": return `q=${t.id.slice(0, 8)}&limit=20`;
      case "next page": return cursors.length > 0 ? `cursor=${pick(cursors)}&limit=20` : "limit=20";
    }
  };
  const latencies = new Map<Kind, Histogram>(plan.map(([k]) => [k, new Histogram()]));
  const every = new Histogram();
  const errors = new Map<Kind, number>(plan.map(([k]) => [k, 0]));
  await openLoop(rate, seconds, async (_, due) => {
    const kind = pick(kinds);
    try {
      const response = await fetch(`${url}/api/admin/orders?${query(kind)}`, { headers: { authorization: `Bearer ${adminToken}` }, signal: AbortSignal.timeout(10_000) });
      const body = (await response.json()) as { nextCursor?: string | null };
      if (!response.ok) throw new Error(String(response.status));
      if (body.nextCursor && cursors.length < 500) cursors.push(body.nextCursor);
      const ms = performance.now() - due;
      latencies.get(kind)!.record(ms);
      every.record(ms);
    } catch {
      errors.set(kind, errors.get(kind)! + 1);
    }
  });
  return {
    kinds: Object.fromEntries(plan.map(([k]) => [k, { errors: errors.get(k)!, latencyMs: latencies.get(k)!.summary() }])) as SearchResult["kinds"],
    all: { errors: [...errors.values()].reduce((a, b) => a + b, 0), latencyMs: every.summary() },
  };
}
