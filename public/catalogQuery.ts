import { PRODUCT_SORTS, type ProductSort } from "../src/catalog/search.ts";
import type { ProductQuery } from "./liveStock.ts";

/** The search as the address keeps it, so a reload, a shared link or Back shows the same results. */
export function searchOf(search: string): { q: string; sort?: ProductSort } {
  const params = new URLSearchParams(search);
  const sort = params.get("sort");
  return { q: params.get("q") ?? "", ...(PRODUCT_SORTS.includes(sort as ProductSort) ? { sort: sort as ProductSort } : {}) };
}

/** Browsing shows new arrivals first; a search, the best matches. */
export const shownSort = (q: string, sort?: ProductSort): ProductSort => (sort && (sort !== "relevance" || q) ? sort : q ? "relevance" : "newest");

/**
 * What the catalog asks GET /api/products for a search (`q` trimmed): the browser as one types, and
 * the server for the page it renders, which the browser then hydrates with the same answer.
 */
export const productQuery = (q: string, sort?: ProductSort): ProductQuery => ({ ...(q && { q }), sort: shownSort(q, sort) });
