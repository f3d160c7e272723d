import type { CatalogDecision, CatalogOutcome, CatalogProduct } from "../catalog/decisions.ts";
import type { StockMovement } from "../catalog/schemas.ts";
import { CURRENCY } from "../orders/fields.ts";
import type { Sql, Tx } from "./client.ts";
import { notifyCatalog, type CommandNotice } from "./catalogFeed.ts";

const productColumns = (tx: Tx) =>
  tx`id, sku, slug, name, description, price_cents AS "priceCents", image_url AS "imageUrl", stock, archived`;

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

/** The stored outcomes of commands already applied: their movement, or their refusal. */
export async function appliedCommands(tx: Tx, commandIds: readonly string[], products: ReadonlyMap<string, CatalogProduct>): Promise<Map<string, CatalogOutcome>> {
  const ids = commandIds as string[];
  const [moved, refused] = await Promise.all([
    tx<{ commandId: string; productId: string; kind: "opening" | "adjustment"; delta: number; stockAfter: number; reason: string; actor: string }[]>`
      SELECT command_id AS "commandId", product_id AS "productId", kind, delta, stock_after AS "stockAfter", reason, actor
      FROM stock_movements WHERE command_id = ANY(${ids}::uuid[])`,
    tx<{ commandId: string; productId: string; delta: number; stock: number }[]>`
      SELECT command_id AS "commandId", product_id AS "productId", delta, stock FROM refused_adjustments WHERE command_id = ANY(${ids}::uuid[])`,
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
  return done;
}

const notice = (o: CatalogOutcome): CommandNotice => {
  if (o.status === "changed") return { commandId: o.commandId, productId: o.productId, status: "changed" };
  if (o.status === "applied") return { commandId: o.commandId, productId: o.productId, status: "applied", delta: o.delta, stock: o.stock };
  return { commandId: o.commandId, productId: o.productId, status: "rejected", reason: o.reason, ...(o.kind === "adjustment" ? { stock: o.stock } : {}) };
};

/**
 * Writes a batch's decision: the products as they now are, the ledger's movements and the refusals;
 * then tells every API instance, on commit, what became of each command and which stock changed.
 * Returns each changed product's slug as stored: a new product's is numbered ("-2") when another
 * product has it already (migration 011); an existing product keeps its own, renamed or not.
 */
export async function writeCatalog(tx: Tx, { outcomes, changed, movements, refusals }: CatalogDecision, at: Date): Promise<Map<string, string>> {
  const slugs = new Map<string, string>();
  if (changed.length > 0) {
    const rows = await tx<{ id: string; slug: string }[]>`
      INSERT INTO products ${tx(changed.map((p) => ({
        id: p.id, sku: p.sku, slug: p.slug, name: p.name, description: p.description, price_cents: p.priceCents,
        currency: CURRENCY, stock: p.stock, image_url: p.imageUrl, archived: p.archived,
      })))}
      ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, price_cents = EXCLUDED.price_cents,
        stock = EXCLUDED.stock, image_url = EXCLUDED.image_url, archived = EXCLUDED.archived
      RETURNING id, slug`;
    for (const row of rows) slugs.set(row.id, row.slug);
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
