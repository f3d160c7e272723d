import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { ListedCategory, Order, Product } from "./api.ts";

/** A category as a page names it. */
export type Shelf = Pick<ListedCategory, "slug" | "name">;

/** A page of GET /api/products as it answered. */
export type ProductPage = { items: Product[]; nextCursor: string | null };

/**
 * What the server read to render a page (src/http/pages/), handed to the browser in the page so
 * that hydrating renders exactly what the server did, with no request and no flash of "loading".
 */
export type Preloaded = {
  /** The address rendered: a server has no `location`. */
  path: string;
  search: string;
  /** The catalog's first page for the address's q and sort; absent when the server did not read it. */
  products?: ProductPage;
  /** A product page's product; null when no product on sale has the slug (the page is a 404). */
  product?: Product | null;
  /** Every category, for the catalog's row of them and a category's page. */
  categories?: ListedCategory[];
  /** A product page's category, when it has one. */
  productCategory?: Shelf;
  /** An order's page's order, rendered only for whoever may read it. */
  order?: Order;
};

/** The id of the script element the server puts the data in (type application/json, so never run). */
export const PRELOADED_ID = "preloaded";

export const PreloadContext = createContext<Preloaded | undefined>(undefined);

let spent = false;
/** Hydration is over: from now on pages read their data themselves, as after any in-app navigation. */
export const spendPreload = () => { spent = true; };

/** The server's data while the server renders and while the browser hydrates; afterwards undefined. */
export function usePreloaded(): Preloaded | undefined {
  const preloaded = useContext(PreloadContext);
  return spent ? undefined : preloaded;
}
