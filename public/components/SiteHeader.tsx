import { useCartCount } from "../cart.ts";
import { plural } from "../format.ts";
import { Link } from "../router.tsx";

export function SiteHeader() {
  const count = useCartCount();
  return (
    <header class="site-header">
      <a class="skip-link" href="#main">Skip to content</a>
      <div class="bar">
        <Link href="/" class="brand">
          <span class="brand-mark" aria-hidden="true">◐</span>
          <span>Ember &amp; Leaf<small>coffee · tea · brewing</small></span>
        </Link>
        <nav aria-label="Main">
          <Link href="/">Shop</Link>
          <Link href="/orders">My orders</Link>
          {/* Until the browser's cart is read, the badge keeps its place, blank: the server never sees the cart. */}
          <Link href="/cart" class="cart-link" aria-label={count === undefined ? "Cart" : `Cart, ${plural(count, "item")}`}>
            Cart <span class="cart-count" data-testid="cart-count">{count ?? "\u00a0"}</span>
          </Link>
        </nav>
      </div>
    </header>
  );
}
