import type { Product } from "../api.ts";
import { announce } from "../announce.ts";
import { cart, MAX_QUANTITY } from "../cart.ts";
import { money } from "../format.ts";
import { Link } from "../router.tsx";
import { useStockWhileVisible } from "../stockStream.ts";
import { StockBadge } from "./StockBadge.tsx";

export function ProductCard({ product, inCart }: { product: Product; inCart: number }) {
  const card = useStockWhileVisible<HTMLElement>();
  const soldOut = product.stock <= 0;
  const allInCart = !soldOut && inCart >= Math.min(product.stock, MAX_QUANTITY);
  const add = () => {
    cart.add(product.id, product.stock);
    announce(`Added ${product.name} to your cart. ${cart.quantityOf(product.id)} in your cart.`);
  };
  return (
    <article class="card" data-product-id={product.id} ref={card}>
      <img src={product.imageUrl} alt="" width={400} height={300} loading="lazy" decoding="async" />
      <div class="card-body">
        <h2>{product.name}</h2>
        <p class="description">{product.description}</p>
        <div class="card-foot">
          <span class="price">{money(product.priceCents)}</span>
          <StockBadge stock={product.stock} />
        </div>
        <button type="button" class="button" disabled={soldOut || allInCart} onClick={add}>
          {soldOut ? "Sold out" : allInCart ? "All in your cart" : <>Add<span class="visually-hidden"> {product.name}</span> to cart</>}
        </button>
        {inCart > 0 && <p class="in-cart"><Link href="/cart">{inCart} in your cart</Link></p>}
      </div>
    </article>
  );
}
