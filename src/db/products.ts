import type { CatalogEntry, Reservation } from "../orders/placement.ts";
import type { Product, StockEvent } from "../catalog/schemas.ts";
import type { Sql, Tx } from "./client.ts";
import { notifyStock } from "./catalogFeed.ts";

const columns = (sql: Sql) =>
  sql`id, sku, slug, name, description, price_cents AS "priceCents", currency, stock, image_url AS "imageUrl", archived, category_id AS "categoryId"`;

/** The operations page's catalog: every product, archived ones too, or those `archived` says. */
export const listAllProducts = (sql: Sql, archived?: boolean) =>
  sql<Product[]>`SELECT ${columns(sql)} FROM products ${archived === undefined ? sql`` : sql`WHERE archived = ${archived}`} ORDER BY name, id`;

export async function getProduct(sql: Sql, id: string): Promise<Product | undefined> {
  const [row] = await sql<Product[]>`SELECT ${columns(sql)} FROM products WHERE id = ${id}`;
  return row;
}

/** A product on sale by its page's slug; an archived one has no page. */
export async function getProductBySlug(sql: Sql, slug: string): Promise<Product | undefined> {
  const [row] = await sql<Product[]>`SELECT ${columns(sql)} FROM products WHERE slug = ${slug} AND NOT archived`;
  return row;
}

/** The place in the listing order of the last product listed that is on sale; 0 with none. */
export async function lastListed(sql: Sql): Promise<number> {
  const [row] = await sql<{ last: string | null }[]>`SELECT max(listed)::text AS last FROM products WHERE NOT archived`;
  return Number(row?.last ?? 0);
}

/**
 * Up to `limit` products on sale listed after `after` and at most `upTo` (migration 009's order),
 * by that order: a sitemap reads its products a batch at a time, through the index, holding no
 * connection between batches.
 */
export async function listedSlugs(sql: Sql, after: number, upTo: number, limit: number): Promise<{ listed: number; slug: string }[]> {
  const rows = await sql<{ listed: string; slug: string }[]>`
    SELECT listed::text, slug FROM products
    WHERE NOT archived AND listed > ${after}::bigint AND listed <= ${upTo}::bigint ORDER BY listed LIMIT ${limit}`;
  return rows.map((r) => ({ listed: Number(r.listed), slug: r.slug }));
}

export async function skuTaken(sql: Sql, sku: string): Promise<boolean> {
  const [row] = await sql`SELECT 1 FROM products WHERE sku = ${sku}`;
  return row !== undefined;
}

/** The ids among `ids` of products that can be ordered. */
export async function knownProductIds(sql: Sql, ids: readonly string[]): Promise<Set<string>> {
  const rows = await sql<{ id: string }[]>`SELECT id FROM products WHERE id = ANY(${ids as string[]}) AND NOT archived`;
  return new Set(rows.map((r) => r.id));
}

/** Where each of `ids` stands now, archived or not: what a stock stream starts from. */
export async function stockOf(sql: Sql, ids: readonly string[]): Promise<StockEvent[]> {
  return sql<StockEvent[]>`SELECT id, stock, archived FROM products WHERE id = ANY(${ids as string[]})`;
}

/**
 * Locks the products a batch touches, in id order so that concurrent batches (and the catalog
 * consumer, which locks the same way) cannot deadlock, and returns what the placement decision
 * needs. An archived product is left out, so orders for it are rejected as unknown_product.
 */
export async function lockCatalog(tx: Tx, ids: readonly string[]): Promise<Map<string, CatalogEntry>> {
  const rows = await tx<({ id: string; archived: boolean } & CatalogEntry)[]>`
    SELECT id, name, price_cents AS "priceCents", currency, stock, archived
    FROM products WHERE id = ANY(${ids as string[]}) ORDER BY id FOR UPDATE`;
  return new Map(rows.filter((r) => !r.archived).map(({ id, archived: _, ...entry }) => [id, entry]));
}

/**
 * Takes the reserved units and writes their ledger movements, one statement each for the whole
 * batch; the condition and the CHECK keep stock from going below zero. Open storefronts hear the
 * new stock once the transaction commits. The statements go out together (one round trip, not
 * three): the stock each product is left with is known from the movements, and the update must
 * agree with it, or the transaction is rolled back with everything it sent.
 */
export async function takeStock(tx: Tx, reserved: ReadonlyMap<string, number>, movements: readonly Reservation[], at: Date): Promise<void> {
  if (reserved.size === 0) return;
  const stockAfter = new Map<string, number>();
  for (const m of movements) stockAfter.set(m.productId, m.stockAfter);
  const [updated] = await Promise.all([
    tx<{ id: string; stock: number }[]>`
      UPDATE products p SET stock = p.stock - r.units
      FROM unnest(${[...reserved.keys()]}::text[], ${[...reserved.values()]}::int[]) AS r(id, units)
      WHERE p.id = r.id AND p.stock >= r.units
      RETURNING p.id, p.stock`,
    tx`
      INSERT INTO stock_movements (product_id, kind, delta, stock_after, order_id, at)
      SELECT m.product_id, 'order', m.delta, m.stock_after, m.order_id, ${at}::timestamptz
      FROM unnest(${movements.map((m) => m.productId)}::text[], ${movements.map((m) => m.delta)}::int[],
                  ${movements.map((m) => m.stockAfter)}::int[], ${movements.map((m) => m.orderId)}::uuid[])
        AS m(product_id, delta, stock_after, order_id)`,
    notifyStock(tx, [...stockAfter].map(([id, stock]) => ({ id, stock, archived: false }))),
  ]);
  if (updated.count !== reserved.size || updated.some((p) => p.stock !== stockAfter.get(p.id))) {
    throw new Error(`stock changed under a lock: ${updated.count} of ${reserved.size} products updated as expected`);
  }
}
