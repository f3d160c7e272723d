import postgres from "postgres";

/** High enough that no bench run, at any rate, runs a product out. */
export const BENCH_STOCK = 1_000_000;

export type StockBefore = { id: string; stock: number }[];

type Sql = ReturnType<typeof postgres>;

/**
 * Sets the products' stock, each change an adjustment in the stock ledger so that its movements
 * still sum to the stock, and returns what the stock was.
 */
async function setStock(sql: Sql, target: StockBefore, reason: string): Promise<StockBefore> {
  return sql.begin(async (tx) => {
    const before = await tx<StockBefore>`
      UPDATE products p SET stock = t.stock FROM products old, unnest(${target.map((t) => t.id)}::text[], ${target.map((t) => t.stock)}::int[]) AS t(id, stock)
      WHERE p.id = old.id AND p.id = t.id
      RETURNING p.id, old.stock`;
    const wanted = new Map(target.map((t) => [t.id, t.stock]));
    const moved = before.filter((b) => wanted.get(b.id) !== b.stock);
    if (moved.length > 0) {
      await tx`INSERT INTO stock_movements ${tx(moved.map((b) => ({
        product_id: b.id, kind: "adjustment", delta: wanted.get(b.id)! - b.stock, stock_after: wanted.get(b.id)!,
        command_id: crypto.randomUUID(), reason, actor: "bench", at: new Date(),
      })))}`;
    }
    return before;
  });
}

/**
 * Raises the stock of the given products so that no order is rejected for stock, and returns what
 * it was, so the run can give the catalog back as it found it.
 */
export async function raiseStock(databaseUrl: string, productIds: readonly string[]): Promise<StockBefore> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    return await setStock(sql, productIds.map((id) => ({ id, stock: BENCH_STOCK })), "bench: stock raised for the run");
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function restoreStock(databaseUrl: string, before: StockBefore): Promise<void> {
  if (before.length === 0) return;
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await setStock(sql, before, "bench: stock given back after the run");
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export type DatabaseRates = { commitsPerS: number; rollbacksPerS: number; walSyncsPerS: number; walWritesPerS: number; walMBPerS: number };

type Counters = { at: number; commits: number; rollbacks: number; walSyncs: number; walWrites: number; walBytes: number };

/**
 * Commit and WAL flush rates of the whole server: every commit of a transaction that wrote waits for
 * a WAL flush (with synchronous_commit on), so these tell whether PostgreSQL's fsyncs bound the pipeline.
 * Backends report their counts up to a second late, and idle ones up to ten seconds late, so a run
 * of a few seconds may see some of the run before it.
 */
export class DatabaseStats {
  private readonly sql;
  private previous?: Counters;

  constructor(databaseUrl: string) {
    this.sql = postgres(databaseUrl, { max: 1, onnotice: () => {}, connection: { application_name: "shop-bench" } });
  }

  /** The settings that decide what a commit costs. */
  async settings(): Promise<Record<string, string>> {
    const rows = await this.sql<{ name: string; setting: string }[]>`
      SELECT name, setting FROM pg_settings
      WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method', 'commit_delay', 'max_connections', 'shared_buffers', 'wal_level')`;
    return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
  }

  async sample(): Promise<DatabaseRates | undefined> {
    const [row] = await this.sql<{ commits: string; rollbacks: string; wal_sync: string; wal_write: string; wal_bytes: string }[]>`
      SELECT sum(d.xact_commit) AS commits, sum(d.xact_rollback) AS rollbacks, w.wal_sync, w.wal_write, w.wal_bytes
      FROM pg_stat_database d, pg_stat_wal w GROUP BY w.wal_sync, w.wal_write, w.wal_bytes`;
    const now: Counters = {
      at: performance.now(), commits: Number(row!.commits), rollbacks: Number(row!.rollbacks),
      walSyncs: Number(row!.wal_sync), walWrites: Number(row!.wal_write), walBytes: Number(row!.wal_bytes),
    };
    const before = this.previous;
    this.previous = now;
    if (!before) return undefined;
    const s = (now.at - before.at) / 1000;
    return {
      commitsPerS: (now.commits - before.commits) / s,
      rollbacksPerS: (now.rollbacks - before.rollbacks) / s,
      walSyncsPerS: (now.walSyncs - before.walSyncs) / s,
      walWritesPerS: (now.walWrites - before.walWrites) / s,
      walMBPerS: (now.walBytes - before.walBytes) / s / 1e6,
    };
  }

  close = () => this.sql.end({ timeout: 5 });
}
