import type { Context } from "hono";
import storefront from "../../public/index.html";

/**
 * The storefront's stylesheet and icon by their built, content-hashed names. Only a compiled binary
 * knows them; run from source, the page goes unstyled.
 */
const built = (extension: string) => storefront.files?.find((file) => file.path.endsWith(extension))?.path.split("/").pop();
const stylesheet = built(".css");
const icon = built(".svg");

/**
 * The storefront's look (its header, heading and footer, after public/App.tsx and NotFoundPage.tsx)
 * in plain HTML: an address the shop does not have gets a page a person can read and leave, with no
 * script, so it needs nothing the security headers forbid.
 */
const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex" />
    <title>Page not found — Ember &amp; Leaf</title>
    ${icon ? `<link rel="icon" href="/${icon}" type="image/svg+xml" />` : ""}
    ${stylesheet ? `<link rel="stylesheet" href="/${stylesheet}" />` : ""}
  </head>
  <body>
    <header class="site-header">
      <a class="skip-link" href="#main">Skip to content</a>
      <div class="bar">
        <a href="/" class="brand">
          <span class="brand-mark" aria-hidden="true">◐</span>
          <span>Ember &amp; Leaf<small>coffee · tea · brewing</small></span>
        </a>
        <nav aria-label="Main">
          <a href="/">Shop</a>
          <a href="/orders">My orders</a>
          <a href="/cart" class="cart-link">Cart</a>
        </nav>
      </div>
    </header>
    <main id="main" tabindex="-1">
      <div class="page-head">
        <h1>Page not found</h1>
      </div>
      <div class="empty">
        <p>There's nothing at this address. Perhaps a cup of something will help.</p>
        <a href="/" class="button">Back to the shop</a>
      </div>
    </main>
    <footer class="site-footer">
      <p>Small-batch coffee, loose-leaf tea and the gear to brew them. Prices in US dollars.</p>
    </footer>
  </body>
</html>
`;

/** Only a page a browser reads is answered so; the API's paths keep the contract's JSON 404. */
export function wantsPage(method: string, path: string): boolean {
  return (method === "GET" || method === "HEAD") && path !== "/api" && !path.startsWith("/api/");
}

/** no-cache: the address may serve a page after the next deploy. */
export const notFoundPage = (c: Context) => c.html(PAGE, 404, { "Cache-Control": "no-cache" });
