import { PRODUCT_SORTS, type ProductSort } from "../src/catalog/search.ts";
import type { ProductQuery } from "./liveStock.ts";

export type CatalogAddress = { q: string; sort?: ProductSort; cursor?: string };

/**
 * The search as the address keeps it, so a reload, a shared link or Back shows the same results;
 * `cursor` is where a page of them starts, for the link to the next page (without the app, or for
 * a crawler).
 */
export function searchOf(search: string): CatalogAddress {
  const params = new URLSearchParams(search);
  const sort = params.get("sort");
  const cursor = params.get("cursor");
  return {
    q: params.get("q") ?? "",
    ...(PRODUCT_SORTS.includes(sort as ProductSort) ? { sort: sort as ProductSort } : {}),
    ...(cursor ? { cursor } : {}),
  };
}

/** The address of the catalog's page for a search, from `cursor` on if given; a category's page is at `path`. */
export function catalogHref({ q, sort, cursor }: CatalogAddress, path = "/"): string {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (sort) params.set("sort", sort);
  if (cursor) params.set("cursor", cursor);
  return params.size > 0 ? `${path}?${params}` : path;
}

/** Browsing shows new arrivals first; a search, the best matches. */
export const shownSort = (q: string, sort?: ProductSort): ProductSort => (sort && (sort !== "relevance" || q) ? sort : q ? "relevance" : "newest");

/**
 * What the catalog asks GET /api/products for a search (`q` trimmed), in a category or all: the browser as one types, and
 * the server for the page it renders, which the browser then hydrates with the same answer.
 */
export const productQuery = (q: string, sort?: ProductSort, cursor?: string, category?: string): ProductQuery =>
  ({ ...(q && { q }), sort: shownSort(q, sort), ...(cursor && { cursor }), ...(category && { category }) });
