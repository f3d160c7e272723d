import type { Category } from "../catalog/categories.ts";
import type { CatalogDecision, CatalogOutcome, CatalogProduct } from "../catalog/decisions.ts";
import type { StockMovement } from "../catalog/schemas.ts";
import { CURRENCY } from "../orders/fields.ts";
import type { Sql, Tx } from "./client.ts";
import { notifyCatalog, type CommandNotice } from "./catalogFeed.ts";

const productColumns = (tx: Tx) =>
  tx`id, sku, slug, name, description, price_cents AS "priceCents", image_url AS "imageUrl", stock, archived, category_id AS "categoryId"`;

/** Locks the products a batch of catalog commands names, in id order as order placement does. */
export async function lockProducts(tx: Tx, ids: readonly string[]): Promise<Map<string, CatalogProduct>> {
  const rows = await tx<CatalogProduct[]>`
    SELECT ${productColumns(tx)} FROM products WHERE id = ANY(${ids as string[]}) ORDER BY id FOR UPDATE`;
  return new Map(rows.map((p) => [p.id, p]));
}

export async function skuOwners(tx: Tx, skus: readonly string[]): Promise<Map<string, string>> {
  if (skus.length === 0) return new Map();
  const rows = await tx<{ id: string; sku: string }[]>`SELECT id, sku FROM products WHERE sku = ANY(${skus as string[]})`;
  return new Map(rows.map((r) => [r.sku, r.id]));
}

/** The categories among `ids` that exist. */
export async function categoriesOf(tx: Tx, ids: readonly string[]): Promise<Map<string, Category>> {
  if (ids.length === 0) return new Map();
  const rows = await tx<Category[]>`SELECT id, slug, name FROM categories WHERE id = ANY(${ids as string[]})`;
  return new Map(rows.map((c) => [c.id, c]));
}

export async function slugOwners(tx: Tx, slugs: readonly string[]): Promise<Map<string, string>> {
  if (slugs.length === 0) return new Map();
  const rows = await tx<{ id: string; slug: string }[]>`SELECT id, slug FROM categories WHERE slug = ANY(${slugs as string[]})`;
  return new Map(rows.map((r) => [r.slug, r.id]));
}

/** The stored outcomes of commands already applied: their movement, their refusal, or the category they created. */
export async function appliedCommands(tx: Tx, commandIds: readonly string[], products: ReadonlyMap<string, CatalogProduct>): Promise<Map<string, CatalogOutcome>> {
  const ids = commandIds as string[];
  const [moved, refused, created] = await Promise.all([
    tx<{ commandId: string; productId: string; kind: "opening" | "adjustment"; delta: number; stockAfter: number; reason: string; actor: string }[]>`
      SELECT command_id AS "commandId", product_id AS "productId", kind, delta, stock_after AS "stockAfter", reason, actor
      FROM stock_movements WHERE command_id = ANY(${ids}::uuid[])`,
    tx<{ commandId: string; productId: string; delta: number; stock: number }[]>`
      SELECT command_id AS "commandId", product_id AS "productId", delta, stock FROM refused_adjustments WHERE command_id = ANY(${ids}::uuid[])`,
    tx<(Category & { commandId: string })[]>`SELECT id, slug, name, command_id AS "commandId" FROM categories WHERE command_id = ANY(${ids}::uuid[])`,
  ]);
  const done = new Map<string, CatalogOutcome>();
  for (const m of moved) {
    done.set(m.commandId, m.kind === "opening"
      ? { commandId: m.commandId, productId: m.productId, kind: "product", status: "changed", product: products.get(m.productId)! }
      : { commandId: m.commandId, productId: m.productId, kind: "adjustment", status: "applied", delta: m.delta, reason: m.reason, actor: m.actor, stock: m.stockAfter });
  }
  for (const r of refused) {
    done.set(r.commandId, { commandId: r.commandId, productId: r.productId, kind: "adjustment", status: "rejected", reason: "would_go_negative", delta: r.delta, stock: r.stock });
  }
  for (const { commandId, ...category } of created) {
    done.set(commandId, { commandId, categoryId: category.id, kind: "category", status: "changed", category });
  }
  return done;
}

const notice = (o: CatalogOutcome): CommandNotice => {
  if (o.kind === "category") {
    return o.status === "changed" ? { commandId: o.commandId, categoryId: o.categoryId, status: "changed" } : { commandId: o.commandId, categoryId: o.categoryId, status: "rejected", reason: o.reason };
  }
  if (o.status === "changed") return { commandId: o.commandId, productId: o.productId, status: "changed" };
  if (o.status === "applied") return { commandId: o.commandId, productId: o.productId, status: "applied", delta: o.delta, stock: o.stock };
  return { commandId: o.commandId, productId: o.productId, status: "rejected", reason: o.reason, ...(o.kind === "adjustment" ? { stock: o.stock } : {}) };
};

/**
 * Writes a batch's decision: the categories created or renamed, the products as they now are, the
 * ledger's movements, the refusals and the categories' counts; then tells every API instance, on
 * commit, what became of each command and which stock changed. Returns each changed product's slug
 * as stored: a new product's is numbered ("-2") when another product has it already (migration 011);
 * an existing product keeps its own, renamed or not.
 */
export async function writeCatalog(tx: Tx, decision: CatalogDecision, at: Date): Promise<Map<string, string>> {
  const { outcomes, changed, movements, refusals, createdCategories, renamedCategories, productCounts } = decision;
  const slugs = new Map<string, string>();
  // Every category row the batch updates, locked in id order first, as products are: batches of
  // other partitions update the same few rows, and in different orders they could deadlock.
  const updated = [...new Set([...renamedCategories.map((c) => c.id), ...productCounts.keys()])].sort();
  if (updated.length > 0) await tx`SELECT 1 FROM categories WHERE id = ANY(${updated}) ORDER BY id FOR NO KEY UPDATE`;
  if (createdCategories.length > 0) {
    await tx`INSERT INTO categories ${tx(createdCategories.map((c) => ({ id: c.id, slug: c.slug, name: c.name, command_id: c.commandId })))}`;
  }
  if (renamedCategories.length > 0) {
    await tx`
      UPDATE categories c SET name = r.name
      FROM unnest(${renamedCategories.map((r) => r.id)}::text[], ${renamedCategories.map((r) => r.name)}::text[]) AS r(id, name)
      WHERE c.id = r.id`;
  }
  if (changed.length > 0) {
    const rows = await tx<{ id: string; slug: string }[]>`
      INSERT INTO products ${tx(changed.map((p) => ({
        id: p.id, sku: p.sku, slug: p.slug, name: p.name, description: p.description, price_cents: p.priceCents,
        currency: CURRENCY, stock: p.stock, image_url: p.imageUrl, archived: p.archived, category_id: p.categoryId,
      })))}
      ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, price_cents = EXCLUDED.price_cents,
        stock = EXCLUDED.stock, image_url = EXCLUDED.image_url, archived = EXCLUDED.archived, category_id = EXCLUDED.category_id
      RETURNING id, slug`;
    for (const row of rows) slugs.set(row.id, row.slug);
  }
  if (productCounts.size > 0) {
    await tx`
      UPDATE categories c SET product_count = c.product_count + d.delta
      FROM unnest(${[...productCounts.keys()]}::text[], ${[...productCounts.values()]}::int[]) AS d(id, delta)
      WHERE c.id = d.id`;
  }
  if (movements.length > 0) {
    await tx`INSERT INTO stock_movements ${tx(movements.map((m) => ({
      product_id: m.productId, kind: m.kind, delta: m.delta, stock_after: m.stockAfter, command_id: m.commandId, reason: m.reason, actor: m.actor, at,
    })))}`;
  }
  if (refusals.length > 0) {
    await tx`INSERT INTO refused_adjustments ${tx(refusals.map((r) => ({
      command_id: r.commandId, product_id: r.productId, delta: r.delta, reason: r.reason, actor: r.actor, stock: r.stock, at,
    })))}`;
  }
  await notifyCatalog(tx, {
    stock: changed.map((p) => ({ id: p.id, stock: p.stock, archived: p.archived })),
    commands: outcomes.map(notice),
  });
  return slugs;
}

export async function listMovements(sql: Sql, productId: string, limit: number): Promise<StockMovement[]> {
  return sql<StockMovement[]>`
    SELECT id::text, kind, delta, stock_after AS "stockAfter", order_id AS "orderId", reason, actor,
           to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
    FROM stock_movements WHERE product_id = ${productId} ORDER BY id DESC LIMIT ${limit}`;
}
