import type { Category, CategoryRejectionReason } from "./categories.ts";
import type { CatalogCommandEnvelope, CategoryCommandEnvelope, ProductRejectionReason } from "./schemas.ts";
import { productSlug } from "./slug.ts";

/** A product as the catalog consumer reads and writes it. */
export type CatalogProduct = {
  id: string; sku: string; slug: string; name: string; description: string; priceCents: number; imageUrl: string; stock: number; archived: boolean;
  categoryId: string | null;
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
  | { commandId: string; productId: string; kind: "adjustment"; status: "rejected"; reason: "would_go_negative"; delta: number; stock: number }
  | { commandId: string; categoryId: string; kind: "category"; status: "changed"; category: Category }
  | { commandId: string; categoryId: string; kind: "category"; status: "rejected"; reason: CategoryRejectionReason };

export type CatalogState = {
  /** The batch's products that exist, locked. */
  products: ReadonlyMap<string, CatalogProduct>;
  /** Which product holds each sku the batch's creates ask for. */
  skuOwners: ReadonlyMap<string, string>;
  /** The categories that exist among those the batch names (its category commands and the products' new categories). */
  categories: ReadonlyMap<string, Category>;
  /** Which category holds each slug the batch's category creates ask for. */
  slugOwners: ReadonlyMap<string, string>;
  /** Outcomes of the batch's commands that were already applied (a redelivery). */
  done: ReadonlyMap<string, CatalogOutcome>;
};

export type CatalogDecision = {
  outcomes: CatalogOutcome[];
  /** The final state of every product created or changed, to write. */
  changed: CatalogProduct[];
  movements: NewMovement[];
  refusals: Refusal[];
  /** Categories the batch created, as they are at its end, with the command that created each. */
  createdCategories: (Category & { commandId: string })[];
  /** Categories that existed and were renamed, as they are at its end. */
  renamedCategories: Category[];
  /** How many more (or fewer) products on sale each category has, by category id; none is 0. */
  productCounts: Map<string, number>;
};

/**
 * Applies a batch of catalog commands in arrival order to the products they name: creates and
 * edits, and stock adjustments that may never take stock below zero. A command already applied is
 * not applied again; its stored outcome is answered instead, so a redelivery publishes the same events.
 * Categories are created and renamed here too, and a product may only be put in one that exists.
 */
export function decideCatalog(commands: readonly CatalogCommandEnvelope[], { products, skuOwners, categories, slugOwners, done }: CatalogState): CatalogDecision {
  const current = new Map(products);
  const categoryNow = new Map(categories);
  const categorySlugs = new Map(slugOwners);
  const createdBy = new Map<string, string>();
  const renamed = new Set<string>();
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
    if (command.type === "UpsertCategory") {
      outcomes.push(decideCategory(command, categoryNow, categorySlugs, createdBy, renamed));
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
    const categoryId = data.action === "create" ? data.product.categoryId : data.changes.categoryId;
    if (categoryId && !categoryNow.has(categoryId)) {
      outcomes.push({ commandId, productId, kind: "product", status: "rejected", reason: "unknown_category" });
      continue;
    }
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

  const changedProducts = [...changed].map((id) => current.get(id)!);
  return {
    outcomes, changed: changedProducts, movements, refusals,
    createdCategories: [...createdBy].map(([id, commandId]) => ({ ...categoryNow.get(id)!, commandId })),
    renamedCategories: [...renamed].filter((id) => !createdBy.has(id)).map((id) => categoryNow.get(id)!),
    productCounts: countChanges(changedProducts.map((p) => [products.get(p.id), p])),
  };
}

/** Creates or renames a category; a slug names one category for good. */
function decideCategory(
  { id: commandId, categoryId, data }: CategoryCommandEnvelope,
  categories: Map<string, Category>, slugs: Map<string, string>, createdBy: Map<string, string>, renamed: Set<string>,
): CatalogOutcome {
  const category = categories.get(categoryId);
  if (data.action === "create") {
    const owner = slugs.get(data.category.slug);
    if (category || (owner !== undefined && owner !== categoryId)) return { commandId, categoryId, kind: "category", status: "rejected", reason: "duplicate_slug" };
    const created = { id: categoryId, ...data.category };
    categories.set(categoryId, created);
    slugs.set(created.slug, categoryId);
    createdBy.set(categoryId, commandId);
    return { commandId, categoryId, kind: "category", status: "changed", category: created };
  }
  if (!category) return { commandId, categoryId, kind: "category", status: "rejected", reason: "unknown_category" };
  const updated = { ...category, name: data.name };
  categories.set(categoryId, updated);
  renamed.add(categoryId);
  return { commandId, categoryId, kind: "category", status: "changed", category: updated };
}

/** Whether a product counts in its category's products on sale. */
const onSaleIn = (p: CatalogProduct | undefined) => (p && !p.archived ? p.categoryId : null);

/** The change to each category's count of products on sale, from each product's state before and after. */
export function countChanges(changes: readonly (readonly [before: CatalogProduct | undefined, after: CatalogProduct])[]): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (id: string | null, n: number) => { if (id !== null) counts.set(id, (counts.get(id) ?? 0) + n); };
  for (const [before, after] of changes) {
    add(onSaleIn(before), -1);
    add(onSaleIn(after), 1);
  }
  for (const [id, n] of counts) if (n === 0) counts.delete(id);
  return counts;
}
