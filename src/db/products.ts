import type { CatalogEntry } from "../orders/placement.ts";
import type { Product } from "../orders/schemas.ts";
import type { Sql, Tx } from "./client.ts";

export type { Product };


const columns = (sql: Sql) => sql`id, sku, name, description, price_cents AS "priceCents", currency, stock, image_url AS "imageUrl"`;

export const listProducts = (sql: Sql) => sql<Product[]>`SELECT ${columns(sql)} FROM products ORDER BY name, id`;

export async function getProduct(sql: Sql, id: string): Promise<Product | undefined> {
  const [row] = await sql<Product[]>`SELECT ${columns(sql)} FROM products WHERE id = ${id}`;
  return row;
}

export async function knownProductIds(sql: Sql, ids: readonly string[]): Promise<Set<string>> {
  const rows = await sql<{ id: string }[]>`SELECT id FROM products WHERE id = ANY(${ids as string[]})`;
  return new Set(rows.map((r) => r.id));
}

/**
 * Locks the products a batch touches, in id order so that concurrent batches cannot deadlock,
 * and returns what the placement decision needs.
 */
export async function lockCatalog(tx: Tx, ids: readonly string[]): Promise<Map<string, CatalogEntry>> {
  const rows = await tx<({ id: string } & CatalogEntry)[]>`
    SELECT id, name, price_cents AS "priceCents", currency, stock
    FROM products WHERE id = ANY(${ids as string[]}) ORDER BY id FOR UPDATE`;
  return new Map(rows.map(({ id, ...entry }) => [id, entry]));
}

/** One statement for the whole batch; the condition and the CHECK keep stock from going below zero. */
export async function takeStock(tx: Tx, reserved: ReadonlyMap<string, number>): Promise<void> {
  if (reserved.size === 0) return;
  const ids = [...reserved.keys()];
  const units = [...reserved.values()];
  const updated = await tx`
    UPDATE products p SET stock = p.stock - r.units
    FROM unnest(${ids}::text[], ${units}::int[]) AS r(id, units)
    WHERE p.id = r.id AND p.stock >= r.units`;
  if (updated.count !== reserved.size) throw new Error(`stock changed under a lock: ${updated.count} of ${reserved.size} products updated`);
}
