import type { Sql } from "./client.ts";
import type { CatalogFeed } from "./catalogFeed.ts";
import { getProduct, knownProductIds, listProducts } from "./products.ts";

/**
 * The last result of `load` for up to `ms`, one load at a time: the catalog is read by every
 * visitor, and stock a quarter of a second old is as good as fresh for browsing (orders are
 * checked against the locked rows, never against this).
 */
function freshFor<T>(ms: number, load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  let at = 0;
  return () => {
    if (!value || performance.now() - at > ms) {
      at = performance.now();
      value = load();
      value.catch(() => { value = undefined; });
    }
    return value;
  };
}

/**
 * The storefront's catalog reads, cached where a visitor cannot tell: the product list for a
 * quarter of a second, and the ids known to be orderable until the feed says one was archived.
 */
export function cachedCatalog(sql: Sql, feed: Pick<CatalogFeed, "onStock">) {
  const known = new Set<string>();
  // An archived product can no longer be ordered: it leaves the ids known to be orderable.
  feed.onStock((change) => { if (change.archived) known.delete(change.id); });
  return {
    list: freshFor(250, () => listProducts(sql)),
    get: (id: string) => getProduct(sql, id),
    /** The ids among `ids` that name no orderable product. */
    async unknown(ids: string[]): Promise<string[]> {
      const unseen = ids.filter((id) => !known.has(id));
      if (unseen.length === 0) return [];
      for (const id of await knownProductIds(sql, unseen)) known.add(id);
      return unseen.filter((id) => !known.has(id));
    },
  };
}
