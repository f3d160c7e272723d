import { useEffect, useState } from "preact/hooks";
import type { Product } from "../api.ts";
import { useCart } from "../cart.ts";
import { AddToCart } from "../components/AddToCart.tsx";
import { Page } from "../components/Page.tsx";
import { StockBadge } from "../components/StockBadge.tsx";
import { money } from "../format.ts";
import { useLiveProducts } from "../liveStock.ts";
import { usePreloaded, type Shelf } from "../preload.ts";
import { Link } from "../router.tsx";
import { NotFoundPage } from "./NotFoundPage.tsx";

/** What history keeps of a product page, for Back to it after an in-app navigation away. */
type Kept = { product?: Product; category?: Shelf };

/**
 * A product's own page, always rendered by the server first (product cards link to it with plain
 * links); its product comes from the server's data, or from history when Back returns to it.
 */
export function ProductPage({ slug }: { slug: string }) {
  const preloaded = usePreloaded();
  const [{ product, category, fresh }] = useState(() => {
    if (preloaded) return { product: preloaded.product, category: preloaded.productCategory, fresh: true };
    const kept = history.state as Kept | null;
    return kept?.product?.slug === slug ? { product: kept.product, category: kept.category, fresh: false } : { product: undefined, fresh: false };
  });

  useEffect(() => {
    if (product && (history.state as Kept | null)?.product?.id !== product.id) history.replaceState({ product, category } satisfies Kept, "");
    // An address the app reached without the product: the server renders it.
    if (product === undefined) location.reload();
  }, []);

  if (product === null) return <NotFoundPage />;
  if (product === undefined) return <p class="loading">Fetching the product…</p>;
  return <ProductDetails product={product} category={category} fresh={fresh} />;
}

function ProductDetails({ product, category, fresh }: { product: Product; category?: Shelf; fresh: boolean }) {
  const live = useLiveProducts({ ids: product.id, limit: "1" }, fresh ? { initial: { items: [product], nextCursor: null } } : {});
  const shown = live.data?.find((p) => p.id === product.id) ?? product;
  const inCart = useCart().find((line) => line.productId === product.id)?.quantity ?? 0;
  return (
    <Page title={shown.name}>
      {category && (
        <nav class="breadcrumbs" aria-label="Breadcrumb">
          <ol><li><Link href="/">Shop</Link></li><li><Link href={`/categories/${category.slug}`}>{category.name}</Link></li></ol>
        </nav>
      )}
      <div class="product-page" data-product-id={shown.id}>
        <img src={shown.imageUrl} alt="" width={400} height={300} decoding="async" />
        <div class="product-info">
          <p class="description">{shown.description}</p>
          <p class="product-buy">
            <span class="price">{money(shown.priceCents)}</span>
            <StockBadge stock={shown.stock} />
          </p>
          <AddToCart product={shown} inCart={inCart} />
        </div>
      </div>
    </Page>
  );
}
