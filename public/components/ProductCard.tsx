import type { Product } from "../api.ts";
import { money } from "../format.ts";
import { useStockWhileVisible } from "../stockStream.ts";
import { AddToCart, productHref } from "./AddToCart.tsx";
import { StockBadge } from "./StockBadge.tsx";

export function ProductCard({ product, inCart }: { product: Product; inCart: number }) {
  const card = useStockWhileVisible<HTMLElement>();
  return (
    <article class="card" data-product-id={product.id} ref={card}>
      <img src={product.imageUrl} alt="" width={400} height={300} loading="lazy" decoding="async" />
      <div class="card-body">
        <h2><a href={productHref(product)}>{product.name}</a></h2>
        <p class="description">{product.description}</p>
        <div class="card-foot">
          <span class="price">{money(product.priceCents)}</span>
          <StockBadge stock={product.stock} />
        </div>
        <AddToCart product={product} inCart={inCart} />
      </div>
    </article>
  );
}
