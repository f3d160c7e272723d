import type { Sql } from "./client.ts";
import type { CatalogFeed } from "./catalogFeed.ts";
import type { ProductSearch } from "../catalog/search.ts";
import { listCategories, slugTaken } from "./categories.ts";
import { getProduct, getProductBySlug, knownProductIds, lastListed, listedSlugs, stockOf } from "./products.ts";
import { searchProducts } from "./productSearch.ts";

/**
 * The storefront's catalog reads: pages of products from PostgreSQL, whatever the catalog's size,
 * the categories, and the ids known to be orderable, cached until the feed says one was archived.
 */
export function cachedCatalog(sql: Sql, feed: Pick<CatalogFeed, "onStock">) {
  const known = new Set<string>();
  // An archived product can no longer be ordered: it leaves the ids known to be orderable.
  feed.onStock((change) => { if (change.archived) known.delete(change.id); });
  return {
    /** A page of products; undefined when the search names a category that does not exist. */
    async search(search: ProductSearch) {
      const page = await searchProducts(sql, search);
      // Asked only of an empty page, so that a category's pages cost no query more.
      if (search.category !== undefined && page.items.length === 0 && !(await slugTaken(sql, search.category))) return undefined;
      return page;
    },
    categories: () => listCategories(sql),
    get: (id: string) => getProduct(sql, id),
    bySlug: (slug: string) => getProductBySlug(sql, slug),
    lastListed: () => lastListed(sql),
    listedSlugs: (after: number, upTo: number, limit: number) => listedSlugs(sql, after, upTo, limit),
    stock: (ids: string[]) => stockOf(sql, ids),
    /** The ids among `ids` that name no orderable product. */
    async unknown(ids: string[]): Promise<string[]> {
      const unseen = ids.filter((id) => !known.has(id));
      if (unseen.length === 0) return [];
      for (const id of await knownProductIds(sql, unseen)) known.add(id);
      return unseen.filter((id) => !known.has(id));
    },
  };
}
