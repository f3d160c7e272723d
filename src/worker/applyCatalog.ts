import type { CatalogCommandEnvelope } from "../catalog/schemas.ts";
import { catalogEvent } from "../catalog/events.ts";
import { decideCatalog, type CatalogOutcome } from "../catalog/decisions.ts";
import type { Tx } from "../db/client.ts";
import { appliedCommands, lockProducts, skuOwners, writeCatalog } from "../db/catalog.ts";
import type { Item, Produced } from "../kafka/message.ts";

/**
 * UpsertProduct and AdjustStock → under the same row locks as order placement: the products
 * changed, every stock movement in the ledger, refusals kept. Returns the events to publish once it
 * commits: for a command already applied, the same events again.
 */
export async function applyCatalog(tx: Tx, items: Item<CatalogCommandEnvelope>[]): Promise<Produced[]> {
  const at = new Date();
  const commands = items.map((i) => i.value);
  const products = await lockProducts(tx, [...new Set(commands.map((c) => c.productId))]);
  const skus = commands.flatMap((c) => (c.type === "UpsertProduct" && c.data.action === "create" ? [c.data.product.sku] : []));
  const [owners, done] = await Promise.all([skuOwners(tx, skus), appliedCommands(tx, commands.map((c) => c.id), products)]);
  const decision = decideCatalog(commands, { products, skuOwners: owners, done });
  const slugs = await writeCatalog(tx, decision, at);
  const stored = (o: CatalogOutcome): CatalogOutcome =>
    o.kind === "product" && o.status === "changed" ? { ...o, product: { ...o.product, slug: slugs.get(o.productId) ?? o.product.slug } } : o;

  const cause = new Map(items.map((i) => [i.value.id, i.message]));
  return decision.outcomes.map((o) => ({ cause: cause.get(o.commandId)!, event: { key: o.productId, body: catalogEvent(stored(o), at) } }));
}
