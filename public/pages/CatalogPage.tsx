import { useCart } from "../cart.ts";
import { Failure } from "../components/Failure.tsx";
import { Page } from "../components/Page.tsx";
import { ProductCard } from "../components/ProductCard.tsx";
import { useLiveProducts } from "../liveStock.ts";

export function CatalogPage() {
  const products = useLiveProducts();
  const lines = useCart();
  const inCart = (id: string) => lines.find((line) => line.productId === id)?.quantity ?? 0;
  return (
    <Page title="Coffee, tea & brewing gear" lead="Roasted, picked and chosen in small batches, with the kettles and drippers to brew them well.">
      {products.error && <Failure error={products.error} onRetry={products.reload} />}
      {!products.data && products.loading && <p class="loading">Setting out the shelves…</p>}
      {products.data?.length === 0 && <p class="empty">The shelves are empty right now. Please check back soon.</p>}
      {products.data && products.data.length > 0 && (
        <ul class="product-grid" aria-label="Products">
          {products.data.map((product) => (
            <li key={product.id}><ProductCard product={product} inCart={inCart(product.id)} /></li>
          ))}
        </ul>
      )}
    </Page>
  );
}
