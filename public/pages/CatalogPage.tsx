import { useEffect, useState } from "preact/hooks";
import type { ProductSort } from "../../src/catalog/search.ts";
import { announce } from "../announce.ts";
import { useCart } from "../cart.ts";
import { CategoryNav } from "../components/CategoryNav.tsx";
import { Failure } from "../components/Failure.tsx";
import { Page } from "../components/Page.tsx";
import { ProductCard } from "../components/ProductCard.tsx";
import { SearchSuggestions } from "../components/SearchSuggestions.tsx";
import type { ListedCategory } from "../api.ts";
import { plural } from "../format.ts";
import { useLiveProducts } from "../liveStock.ts";
import { catalogHref, productQuery, searchOf, shownSort, type CatalogAddress } from "../catalogQuery.ts";
import { LoadMore } from "../components/LoadMore.tsx";
import { usePreloaded } from "../preload.ts";

const SORTS: { value: ProductSort; label: string }[] = [
  { value: "newest", label: "New arrivals" },
  { value: "name", label: "Name" },
  { value: "price_asc", label: "Price, low to high" },
  { value: "price_desc", label: "Price, high to low" },
];

/** Waits for typing to pause: a search per keystroke would ask the API for pages nobody reads. */
const TYPING_PAUSE_MS = 250;

function toAddress(address: CatalogAddress) {
  const search = catalogHref(address).slice(1);
  if (search !== location.search) history.replaceState(null, "", `${location.pathname}${search}`);
}

/** The catalog, searched and sorted: every product, or a category's (/categories/<slug>) under its name. */
export function CatalogPage({ category }: { category?: ListedCategory }) {
  const preloaded = usePreloaded();
  const [address] = useState(() => searchOf(preloaded?.search ?? location.search));
  const [typed, setTyped] = useState(address.q);
  const [q, setQ] = useState(typed.trim());
  const [sort, setSort] = useState<ProductSort | undefined>(address.sort);
  // Opened at a later page (a link followed without the app): from there, until the search changes.
  const [from, setFrom] = useState(address.cursor);
  const shown = shownSort(q, sort);
  const products = useLiveProducts(productQuery(q, sort, from, category?.slug), { initial: preloaded?.products });
  const lines = useCart();
  const inCart = (id: string) => lines.find((line) => line.productId === id)?.quantity ?? 0;

  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [typed]);
  useEffect(() => {
    if (q !== address.q.trim() || sort !== address.sort) setFrom(undefined);
  }, [q, sort]);
  useEffect(() => toAddress({ q, sort, cursor: from }), [q, sort, from]);
  useEffect(() => {
    if (q && !products.loading && products.data) {
      announce(products.data.length === 0 ? `No products match ${q}.` : `${plural(products.data.length, "product")}${products.more ? " and more" : ""} match ${q}.`);
    }
  }, [q, products.loading]);

  const sorts = q ? [{ value: "relevance" as const, label: "Best match" }, ...SORTS] : SORTS;
  return (
    <Page title={category?.name ?? "Coffee, tea & brewing gear"}
      lead={category ? `${plural(category.productCount, "product")} on the shelf.` : "Roasted, picked and chosen in small batches, with the kettles and drippers to brew them well."}>
      <CategoryNav />
      <form role="search" class="catalog-search" onSubmit={(event) => { event.preventDefault(); setQ(typed.trim()); }}>
        <label for="catalog-q">Search the shop</label>
        <SearchSuggestions id="catalog-q" value={typed} onInput={setTyped} placeholder="Assam, dripper, geisha…" />
        <label for="catalog-sort">Sort by</label>
        <select id="catalog-sort" value={shown} onChange={(event) => setSort(event.currentTarget.value as ProductSort)}>
          {sorts.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
        </select>
      </form>
      {products.error && <Failure error={products.error} onRetry={products.reload} />}
      {!products.data && products.loading && <p class="loading">Setting out the shelves…</p>}
      {products.data?.length === 0 && !products.loading && (q
        ? <div class="empty"><p>Nothing matches “{q}”. Try fewer words, or the start of a name: “assam”, “dripper”, “geisha”.</p>
            <button type="button" class="button" onClick={() => { setTyped(""); setQ(""); }}>Show every product</button></div>
        : <p class="empty">The shelves are empty right now. Please check back soon.</p>)}
      {products.data && products.data.length > 0 && (
        <ul class="product-grid" aria-label={`${q ? `Products matching ${q}` : "Products"}${category ? ` in ${category.name}` : ""}`} aria-busy={products.loading}>
          {products.data.map((product) => (
            <li key={product.id}><ProductCard product={product} inCart={inCart(product.id)} /></li>
          ))}
        </ul>
      )}
      {products.next && (
        <LoadMore href={catalogHref({ q, sort, cursor: products.next }, category && `/categories/${category.slug}`)} loading={products.loading} onMore={products.loadMore} />
      )}
    </Page>
  );
}
