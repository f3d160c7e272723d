import type { Product } from "../api.ts";
import { announce } from "../announce.ts";
import { cart, MAX_QUANTITY } from "../cart.ts";
import { Link } from "../router.tsx";

/** A product's add-to-cart button, and how many the cart holds: on its card and on its page. */
export function AddToCart({ product, inCart }: { product: Product; inCart: number }) {
  const soldOut = product.stock <= 0;
  const allInCart = !soldOut && inCart >= Math.min(product.stock, MAX_QUANTITY);
  const add = () => {
    cart.add(product.id, product.stock);
    announce(`Added ${product.name} to your cart. ${cart.quantityOf(product.id)} in your cart.`);
  };
  return (
    <>
      <button type="button" class="button" disabled={soldOut || allInCart} onClick={add}>
        {soldOut ? "Sold out" : allInCart ? "All in your cart" : <>Add<span class="visually-hidden"> {product.name}</span> to cart</>}
      </button>
      {inCart > 0 && <p class="in-cart"><Link href="/cart">{inCart} in your cart</Link></p>}
    </>
  );
}

/** A product page's address: a plain link, which the server renders with the product in it. */
export const productHref = (product: Pick<Product, "slug">) => `/products/${encodeURIComponent(product.slug)}`;
