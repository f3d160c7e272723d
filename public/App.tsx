import { SiteHeader } from "./components/SiteHeader.tsx";
import { AdminPage } from "./pages/AdminPage.tsx";
import { CartPage } from "./pages/CartPage.tsx";
import { CategoryPage } from "./pages/CategoryPage.tsx";
import { CatalogPage } from "./pages/CatalogPage.tsx";
import { CheckoutPage } from "./pages/CheckoutPage.tsx";
import { NotFoundPage } from "./pages/NotFoundPage.tsx";
import { OrderPage } from "./pages/OrderPage.tsx";
import { OrdersPage } from "./pages/OrdersPage.tsx";
import { ProductPage } from "./pages/ProductPage.tsx";
import { decodedSegment, usePath } from "./router.tsx";

/** The pages the server answers with this app (src/http/storefront.ts), each at a real URL. */
function CurrentPage({ path }: { path: string }) {
  if (path === "/") return <CatalogPage />;
  if (path === "/cart") return <CartPage />;
  if (path === "/checkout") return <CheckoutPage />;
  if (path === "/orders") return <OrdersPage />;
  if (path === "/admin") return <AdminPage />;
  const product = decodedSegment(/^\/products\/([^/]+)$/.exec(path)?.[1] ?? "");
  if (product) return <ProductPage key={product} slug={product} />;
  const category = decodedSegment(/^\/categories\/([^/]+)$/.exec(path)?.[1] ?? "");
  if (category) return <CategoryPage key={category} slug={category} />;
  const order = decodedSegment(/^\/orders\/([^/]+)$/.exec(path)?.[1] ?? "");
  if (order) return <OrderPage key={order} id={order} />;
  return <NotFoundPage />;
}

export function App() {
  const path = usePath();
  return (
    <>
      <SiteHeader />
      <main id="main" tabIndex={-1}>
        <CurrentPage path={path} />
      </main>
      <footer class="site-footer">
        <p>Small-batch coffee, loose-leaf tea and the gear to brew them. Prices in US dollars.</p>
      </footer>
    </>
  );
}
