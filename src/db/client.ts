import postgres from "postgres";
import type { Logger } from "../log.ts";

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;
export type Fragment = postgres.Fragment;

export function connect(url: string, log: Logger, max: number): Sql {
  return postgres(url, {
    max,
    connect_timeout: 5,
    idle_timeout: 60,
    // Fails a query quickly when the database is gone, instead of hanging a request or a batch.
    // JIT off: PostgreSQL compiled the worker's lookup of already-stored orders on every batch, its
    // cost guessed high for 3,000 ids, though it finds none: 322 of its 363 ms over 30,000 orders
    // (pg_stat_statements). No statement of the shop scans enough rows to win the compile back.
    // Product search's `%` over the names' words: one transposed letter in a six-letter word
    // ("secnod") is 0.27 alike, under pg_trgm's default threshold of 0.3.
    connection: { application_name: "shop", statement_timeout: 15_000, jit: "off", "pg_trgm.similarity_threshold": 0.2 },
    onnotice: (notice) => log.debug("postgres notice", { notice: notice.message }),
    transform: { undefined: null },
  });
}

/** `items` in consecutive slices of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Every payload as one NOTIFY on `channel`, in order, in one statement (one round trip, however many). */
export async function notifyAll(tx: Tx, channel: string, payloads: readonly string[]): Promise<void> {
  if (payloads.length === 0) return;
  await tx`SELECT pg_notify(${channel}, payload) FROM unnest(${payloads as string[]}::text[]) WITH ORDINALITY AS p(payload, n) ORDER BY n`;
}
