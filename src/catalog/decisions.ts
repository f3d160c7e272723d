import type { CatalogCommandEnvelope, ProductRejectionReason } from "./schemas.ts";
import { productSlug } from "./slug.ts";

/** A product as the catalog consumer reads and writes it. */
export type CatalogProduct = {
  id: string; sku: string; slug: string; name: string; description: string; priceCents: number; imageUrl: string; stock: number; archived: boolean;
};

export type NewMovement = {
  productId: string; kind: "opening" | "adjustment"; delta: number; stockAfter: number; commandId: string; reason: string; actor: string;
};

export type Refusal = { commandId: string; productId: string; delta: number; reason: string; actor: string; stock: number };

/** What became of one command; a repeat is a command already applied, answered as it was then. */
export type CatalogOutcome =
  | { commandId: string; productId: string; kind: "product"; status: "changed"; product: CatalogProduct }
  | { commandId: string; productId: string; kind: "product"; status: "rejected"; reason: ProductRejectionReason }
  | { commandId: string; productId: string; kind: "adjustment"; status: "applied"; delta: number; reason: string; actor: string; stock: number }
  | { commandId: string; productId: string; kind: "adjustment"; status: "rejected"; reason: "would_go_negative"; delta: number; stock: number };

export type CatalogState = {
  /** The batch's products that exist, locked. */
  products: ReadonlyMap<string, CatalogProduct>;
  /** Which product holds each sku the batch's creates ask for. */
  skuOwners: ReadonlyMap<string, string>;
  /** Outcomes of the batch's commands that were already applied (a redelivery). */
  done: ReadonlyMap<string, CatalogOutcome>;
};

export type CatalogDecision = {
  outcomes: CatalogOutcome[];
  /** The final state of every product created or changed, to write. */
  changed: CatalogProduct[];
  movements: NewMovement[];
  refusals: Refusal[];
};

/**
 * Applies a batch of catalog commands in arrival order to the products they name: creates and
 * edits, and stock adjustments that may never take stock below zero. A command already applied is
 * not applied again; its stored outcome is answered instead, so a redelivery publishes the same events.
 */
export function decideCatalog(commands: readonly CatalogCommandEnvelope[], { products, skuOwners, done }: CatalogState): CatalogDecision {
  const current = new Map(products);
  const skus = new Map(skuOwners);
  const changed = new Set<string>();
  const movements: NewMovement[] = [];
  const refusals: Refusal[] = [];
  const seen = new Set<string>();
  const outcomes: CatalogOutcome[] = [];

  for (const command of commands) {
    if (seen.has(command.id)) continue;
    seen.add(command.id);
    const previous = done.get(command.id);
    if (previous) {
      outcomes.push(previous);
      continue;
    }
    const { id: commandId, productId } = command;
    const product = current.get(productId);

    if (command.type === "AdjustStock") {
      const { delta, reason, actor } = command.data;
      if (!product) {
        outcomes.push({ commandId, productId, kind: "product", status: "rejected", reason: "unknown_product" });
        continue;
      }
      const stock = product.stock + delta;
      if (stock < 0) {
        refusals.push({ commandId, productId, delta, reason, actor, stock: product.stock });
        outcomes.push({ commandId, productId, kind: "adjustment", status: "rejected", reason: "would_go_negative", delta, stock: product.stock });
        continue;
      }
      current.set(productId, { ...product, stock });
      changed.add(productId);
      movements.push({ productId, kind: "adjustment", delta, stockAfter: stock, commandId, reason, actor });
      outcomes.push({ commandId, productId, kind: "adjustment", status: "applied", delta, reason, actor, stock });
      continue;
    }

    const { data } = command;
    if (data.action === "create") {
      const owner = skus.get(data.product.sku);
      if (product || (owner !== undefined && owner !== productId)) {
        outcomes.push({ commandId, productId, kind: "product", status: "rejected", reason: "duplicate_sku" });
        continue;
      }
      const { stock, ...fields } = data.product;
      // The database numbers the slug ("-2") if another product has it already.
      const created: CatalogProduct = { id: productId, ...fields, slug: productSlug(fields.name), stock, archived: false };
      current.set(productId, created);
      skus.set(created.sku, productId);
      changed.add(productId);
      // Even a product opened with no stock gets its opening movement: it records that the create was applied.
      movements.push({ productId, kind: "opening", delta: stock, stockAfter: stock, commandId, reason: "opening stock", actor: data.actor });
      outcomes.push({ commandId, productId, kind: "product", status: "changed", product: created });
      continue;
    }

    if (!product) {
      outcomes.push({ commandId, productId, kind: "product", status: "rejected", reason: "unknown_product" });
      continue;
    }
    const updated = { ...product, ...data.changes };
    current.set(productId, updated);
    changed.add(productId);
    outcomes.push({ commandId, productId, kind: "product", status: "changed", product: updated });
  }

  return { outcomes, changed: [...changed].map((id) => current.get(id)!), movements, refusals };
}
