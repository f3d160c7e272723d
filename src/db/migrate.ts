import type { Logger } from "../log.ts";
import type { Sql } from "./client.ts";
import { migrations } from "./migrations/index.ts";

/** Any constant shared by every instance: the lock serialises concurrent starts. */
const MIGRATION_LOCK = 7_351_002;

export async function migrate(sql: Sql, log: Logger): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;
    const applied = new Set((await tx<{ version: number }[]>`SELECT version FROM schema_migrations`).map((r) => r.version));
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await tx.unsafe(m.sql);
      await tx`INSERT INTO schema_migrations (version, name) VALUES (${m.version}, ${m.name})`;
      log.info("migration applied", { migration: m.name });
    }
  });
}
