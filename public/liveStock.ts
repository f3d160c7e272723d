import { useEffect, useRef, useState } from "preact/hooks";
import type { ProductSort } from "../src/catalog/search.ts";
import { answer, api, type ApiError, type Product } from "./api.ts";
import type { ProductPage } from "./preload.ts";
import { followStock, heard, onStockChange } from "./stockStream.ts";

/** What GET /api/products takes, as the storefront asks it. */
export type ProductQuery = { q?: string; sort?: ProductSort; ids?: string; limit?: string; cursor?: string; category?: string };

/** Pages of one query: `key` says which, so pages of the query before are never taken for its answer. */
type Pages = { key: string; items: Product[]; next: string | null };

/** The first page of each query last seen: a page visited again shows it at once while it is refreshed. */
const remembered = new Map<string, Pages>();

/**
 * Products as GET /api/products pages them (`loadMore` appends the next page), kept current: every
 * stock change heard from GET /api/products/events is applied as it comes, so badges and buttons
 * change without a reload. Archived products leave the list (with `keepArchived`, they stay,
 * marked, for a page that must say what became of them). The products a query names by `ids`
 * (a cart's) are followed while it shows; a browsing page's cards follow themselves while on screen
 * (stockStream.ts). With `enabled` false nothing is asked: an empty cart holds no products. With
 * `initial`, the first page the server rendered, the first page is not asked again.
 */
export function useLiveProducts(query: ProductQuery, { enabled = true, initial, keepArchived = false }: { enabled?: boolean; initial?: ProductPage; keepArchived?: boolean } = {}) {
  const key = JSON.stringify(query);
  const [pages, setPages] = useState<Pages | undefined>(() =>
    !enabled ? { key, items: [], next: null } : initial ? { key, items: initial.items, next: initial.nextCursor } : remembered.get(key));
  const [loading, setLoading] = useState(enabled && !initial);
  // The server's answer, just read, needs no second asking while the page hydrates.
  const answered = useRef(Boolean(initial));
  const [error, setError] = useState<ApiError>();
  const [attempt, setAttempt] = useState(0);
  const [, setVersion] = useState(0);
  const asked = useRef(key);

  useEffect(() => onStockChange(() => setVersion((n) => n + 1)), []);
  useEffect(() => (enabled && query.ids ? followStock(query.ids.split(",")) : undefined), [enabled, query.ids]);

  /**
   * Asks for the page after `cursor` (the first without one); `take` folds it into what shows,
   * unless another query has been asked for since.
   */
  const ask = (cursor: string | undefined, take: (page: Pages) => void) => {
    setLoading(true);
    answer(api.products.$get({ query: cursor === undefined ? query : { ...query, cursor } })).then(
      (answered) => {
        const page = { key, items: answered.items, next: answered.nextCursor };
        if (cursor === undefined) remembered.set(key, page);
        if (asked.current !== key) return;
        take(page);
        setError(undefined);
        setLoading(false);
      },
      (failure: ApiError) => {
        if (asked.current !== key) return;
        setError(failure);
        setLoading(false);
      },
    );
  };

  useEffect(() => {
    asked.current = key;
    if (!enabled) {
      setPages({ key, items: [], next: null });
      setLoading(false);
      setError(undefined);
      return;
    }
    if (answered.current && pages) {
      answered.current = false;
      remembered.set(key, pages);
      return;
    }
    const seen = remembered.get(key);
    if (seen) setPages(seen);
    ask(undefined, setPages);
  }, [key, enabled, attempt]);

  const loadMore = () => {
    if (!pages?.next || loading) return;
    ask(pages.next, (page) => setPages((now) => {
      const have = new Set(now?.items.map((p) => p.id));
      return { key, items: [...(now?.items ?? []), ...page.items.filter((p) => !have.has(p.id))], next: page.next };
    }));
  };

  const data = pages?.items
    .map((product) => {
      const change = heard.get(product.id);
      return change ? { ...product, stock: change.stock, archived: change.archived } : product;
    })
    .filter((product) => keepArchived || !product.archived);
  // Until the answer to this query comes, what shows is another query's (or a remembered) answer: loading.
  const current = pages?.key === key && asked.current === key;
  return { data, loading: loading || !current, error, more: Boolean(pages?.next), next: pages?.next ?? null, loadMore, reload: () => setAttempt((n) => n + 1) };
}
