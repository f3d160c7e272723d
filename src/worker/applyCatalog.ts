import { catalogKey, type CatalogCommandEnvelope } from "../catalog/schemas.ts";
import { catalogEvent } from "../catalog/events.ts";
import { decideCatalog, type CatalogOutcome } from "../catalog/decisions.ts";
import type { Tx } from "../db/client.ts";
import { appliedCommands, categoriesOf, lockProducts, skuOwners, slugOwners, writeCatalog } from "../db/catalog.ts";
import type { Item, Produced } from "../kafka/message.ts";

/** The categories a batch names: those its category commands are about, and those it puts products in. */
const categoriesNamed = (commands: readonly CatalogCommandEnvelope[]) => [...new Set(commands.flatMap((c) => {
  if (c.type === "UpsertCategory") return [c.categoryId];
  if (c.type === "AdjustStock") return [];
  const id = c.data.action === "create" ? c.data.product.categoryId : c.data.changes.categoryId;
  return id ? [id] : [];
}))];

/**
 * UpsertProduct, AdjustStock and UpsertCategory → under the same row locks as order placement: the
 * products and categories changed, every stock movement in the ledger, refusals kept. Returns the
 * events to publish once it commits: for a command already applied, the same events again.
 */
export async function applyCatalog(tx: Tx, items: Item<CatalogCommandEnvelope>[]): Promise<Produced[]> {
  const at = new Date();
  const commands = items.map((i) => i.value);
  const productIds = [...new Set(commands.flatMap((c) => (c.type === "UpsertCategory" ? [] : [c.productId])))];
  const products = await lockProducts(tx, productIds);
  const skus = commands.flatMap((c) => (c.type === "UpsertProduct" && c.data.action === "create" ? [c.data.product.sku] : []));
  const categorySlugs = commands.flatMap((c) => (c.type === "UpsertCategory" && c.data.action === "create" ? [c.data.category.slug] : []));
  const [owners, categories, slugHolders, done] = await Promise.all([
    skuOwners(tx, skus), categoriesOf(tx, categoriesNamed(commands)), slugOwners(tx, categorySlugs), appliedCommands(tx, commands.map((c) => c.id), products),
  ]);
  const decision = decideCatalog(commands, { products, skuOwners: owners, categories, slugOwners: slugHolders, done });
  const stored = await writeCatalog(tx, decision, at);
  const withSlug = (o: CatalogOutcome): CatalogOutcome =>
    o.kind === "product" && o.status === "changed" ? { ...o, product: { ...o.product, slug: stored.get(o.productId) ?? o.product.slug } } : o;

  const cause = new Map(items.map((i) => [i.value.id, i.message]));
  return decision.outcomes.map((o) => ({ cause: cause.get(o.commandId)!, event: { key: catalogKey(o), body: catalogEvent(withSlug(o), at) } }));
}
