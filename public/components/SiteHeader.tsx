import { countItems, useCart } from "../cart.ts";
import { plural } from "../format.ts";
import { Link } from "../router.tsx";

export function SiteHeader() {
  const count = countItems(useCart());
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
          <Link href="/cart" class="cart-link" aria-label={`Cart, ${plural(count, "item")}`}>
            Cart <span class="cart-count" data-testid="cart-count">{count}</span>
          </Link>
        </nav>
      </div>
    </header>
  );
}
