import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import postgres from "postgres";
import { fillCatalog } from "../../scripts/catalog/fill.ts";
import { ownNamespace } from "../../scripts/namespace.ts";
import { productSlug } from "../../src/catalog/slug.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createLogger } from "../../src/log.ts";

const PRODUCTS = 1_000;
let db: postgres.Sql;
let seqScansWhileLoading = 0;

// A new database of its own, as a bench or a new shop starts: the bulk load meets an empty table.
beforeAll(async () => {
  const namespace = await ownNamespace(`${process.env.KAFKA_TOPIC_PREFIX!.slice(0, -1)}_slugs`, process.env, { fresh: true });
  db = postgres(namespace.DATABASE_URL, { max: 1, onnotice: () => {} });
  await migrate(db, createLogger("error", {}, () => {}));
  const seqScans = async () => {
    await db`SELECT pg_stat_force_next_flush()`;
    await db`SELECT pg_stat_clear_snapshot()`;
    const [row] = await db<[{ scans: string }]>`SELECT seq_scan::text AS scans FROM pg_stat_user_tables WHERE relname = 'products'`;
    return Number(row.scans);
  };
  const before = await seqScans();
  // Its own connection, which ends with it, and so reports what it scanned.
  await fillCatalog(namespace.DATABASE_URL, PRODUCTS, 5, () => {});
  for (let waited = 0; waited < 50 && (seqScansWhileLoading = (await seqScans()) - before) === 0; waited++) await Bun.sleep(100);
}, 60_000);
afterAll(async () => { await db?.end(); });

describe("slugs the database gives", () => {
  test("a bulk load into a new database names each product through the indexes, never scanning the table per row", () => {
    // The load's VACUUM ANALYZE and the like scan it a few times; a scan per product would be a thousand.
    expect(seqScansWhileLoading).toBeLessThan(20);
  });

  test("a Latin name gets the slug the catalog's commands would give it, each slug once", async () => {
    const rows = await db<{ name: string; slug: string }[]>`SELECT name, slug FROM products ORDER BY listed`;
    expect(rows).toHaveLength(12 + PRODUCTS);
    expect(new Set(rows.map((r) => r.slug)).size).toBe(rows.length);
    expect(rows.filter((r) => r.slug !== productSlug(r.name))).toEqual([]);
  });
});
