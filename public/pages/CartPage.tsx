import { useEffect } from "preact/hooks";
import { announce } from "../announce.ts";
import { cart, countItems, useCart } from "../cart.ts";
import { Failure } from "../components/Failure.tsx";
import { Page } from "../components/Page.tsx";
import { QuantityInput } from "../components/QuantityInput.tsx";
import { StockBadge } from "../components/StockBadge.tsx";
import { money, plural } from "../format.ts";
import { Link } from "../router.tsx";
import { useLiveProducts } from "../liveStock.ts";

export function CartPage() {
  const lines = useCart();
  const ids = lines.map((line) => line.productId).join(",");
  const products = useLiveProducts({ ids, limit: "100" }, { enabled: lines.length > 0 });
  const byId = new Map(products.data?.map((product) => [product.id, product]));

  // Only a fresh answer may drop lines: a remembered one can predate a product added in another tab.
  const fresh = !products.loading && !products.error;
  useEffect(() => {
    if (fresh && products.data) cart.keepOnly(new Set(products.data.map((product) => product.id)));
  }, [fresh, products.data]);

  if (lines.length === 0) {
    return (
      <Page title="Your cart">
        <div class="empty">
          <p>Your cart is empty.</p>
          <Link href="/" class="button">Browse coffee &amp; tea</Link>
        </div>
      </Page>
    );
  }

  const rows = lines.flatMap((line) => {
    const product = byId.get(line.productId);
    return product ? [{ ...line, product }] : [];
  });
  const subtotal = rows.reduce((sum, row) => sum + row.quantity * row.product.priceCents, 0);
  const soldOut = rows.filter((row) => row.product.stock <= 0);
  const short = rows.filter((row) => row.product.stock > 0 && row.quantity > row.product.stock);

  return (
    <Page title="Your cart" lead={plural(countItems(lines), "item")}>
      {products.error && <Failure error={products.error} onRetry={products.reload} />}
      {!products.data && products.loading && <p class="loading">Fetching your cart…</p>}
      {(soldOut.length > 0 || short.length > 0) && (
        <div class="notice notice-error" role="alert" data-testid="stock-warning">
          {soldOut.length > 0 && <p>Sold out since you added {soldOut.length === 1 ? "it" : "them"}: {soldOut.map((row) => row.product.name).join(", ")}. Remove {soldOut.length === 1 ? "it" : "them"} to check out.</p>}
          {short.map((row) => <p key={row.product.id}>Only {row.product.stock} of {row.product.name} left: lower the quantity to check out.</p>)}
        </div>
      )}
      {rows.length > 0 && (
        <div class="cart-layout">
          <ul class="cart-lines" aria-label="Items in your cart">
            {rows.map(({ product, quantity }) => (
              <li key={product.id} class="cart-line" data-product-id={product.id}>
                <img src={product.imageUrl} alt="" width={120} height={90} />
                <div class="cart-line-info">
                  <h2>{product.name}</h2>
                  <p class="muted">{money(product.priceCents)} each <StockBadge stock={product.stock} /></p>
                  <button
                    type="button"
                    class="link-button"
                    onClick={() => { cart.remove(product.id); announce(`Removed ${product.name} from your cart.`); }}
                  >
                    Remove<span class="visually-hidden"> {product.name}</span>
                  </button>
                </div>
                <QuantityInput productId={product.id} name={product.name} quantity={quantity} stock={product.stock} />
                <p class="line-total">{money(quantity * product.priceCents)}</p>
              </li>
            ))}
          </ul>
          <aside class="summary" aria-label="Order summary">
            <p class="subtotal"><span>Subtotal</span> <strong data-testid="subtotal">{money(subtotal)}</strong></p>
            <p class="muted">You'll enter your name and email on the next step.</p>
            {soldOut.length > 0 || short.length > 0
              ? <p class="muted">Check out once every item is in stock.</p>
              : <Link href="/checkout" class="button button-wide">Check out</Link>}
            <Link href="/" class="secondary-link">Keep shopping</Link>
          </aside>
        </div>
      )}
    </Page>
  );
}
