import { describe, expect, test } from "bun:test";
import type { Product } from "../../src/catalog/schemas.ts";
import type { ProductSearch } from "../../src/catalog/search.ts";
import { createApp } from "../../src/http/app.ts";
import { testDeps } from "../support/apiDeps.ts";

const product = (overrides: Partial<Product> = {}): Product => ({
  id: "prd_kettle", sku: "KET-1", slug: "gooseneck-kettle", name: "Gooseneck Kettle", description: "Pours a slow, steady stream.",
  priceCents: 6450, currency: "USD", stock: 3, imageUrl: "/images/gooseneck-kettle.svg", archived: false, categoryId: null, ...overrides,
});

const categories = [{ id: "cat_gear", slug: "brewing-gear", name: "Brewing gear", productCount: 2 }];

/** The app in memory with a catalog of `products`; the searches it was asked are kept. */
function shop(products: Product[], shopUrl?: string) {
  const searches: ProductSearch[] = [];
  const app = createApp(testDeps({
    shopUrl,
    catalog: {
      ...testDeps().catalog,
      search: async (search) => { searches.push(search); return { items: products, nextCursor: null }; },
      bySlug: async (slug) => products.find((p) => p.slug === slug),
      categories: async () => categories,
    },
  }));
  return { app, searches };
}

/** The data the page was rendered from, as the browser reads it back. */
function preloadedOf(html: string) {
  const data = /<script type="application\/json" id="preloaded">([\s\S]*?)<\/script>/.exec(html)?.[1];
  return JSON.parse(data!);
}

function structuredDataOf(html: string) {
  return JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)![1]!);
}

describe("server-rendered pages", () => {
  test("a product page: its name, price and stock in the HTML, its head, and JSON-LD Product with its offer", async () => {
    const { app } = shop([product()], "https://shop.example.com");
    const response = await app.request("/products/gooseneck-kettle");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toStartWith("text/html");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(response.headers.get("set-cookie")).toContain("sid=");
    const html = await response.text();
    expect(html).toContain("<h1 tabindex=\"-1\">Gooseneck Kettle</h1>");
    expect(html).toContain("$64.50");
    expect(html).toContain("Only 3 left");
    expect(html).toContain("<title>Gooseneck Kettle — Ember &amp; Leaf</title>");
    expect(html).toContain('<meta name="description" content="Pours a slow, steady stream." />');
    expect(html).toContain('<link rel="canonical" href="https://shop.example.com/products/gooseneck-kettle" />');
    expect(html).toContain('<meta property="og:type" content="product" />');
    expect(html).toContain('<meta property="og:image" content="https://shop.example.com/images/gooseneck-kettle.svg" />');
    expect(html.match(/<title>/g)).toHaveLength(1);
    expect(html.match(/<meta name="description"/g)).toHaveLength(1);
    expect(structuredDataOf(html)).toEqual({
      "@context": "https://schema.org", "@type": "Product", name: "Gooseneck Kettle", description: "Pours a slow, steady stream.", sku: "KET-1",
      image: "https://shop.example.com/images/gooseneck-kettle.svg", url: "https://shop.example.com/products/gooseneck-kettle",
      offers: { "@type": "Offer", url: "https://shop.example.com/products/gooseneck-kettle", price: "64.50", priceCurrency: "USD", availability: "https://schema.org/InStock" },
    });
    expect(preloadedOf(html)).toEqual({ path: "/products/gooseneck-kettle", search: "", product: product() });
  });

  test("the header's cart badge is blank, never a 0: the server does not see the browser's cart", async () => {
    const { app } = shop([product()]);
    for (const path of ["/", "/products/gooseneck-kettle"]) {
      const html = await (await app.request(path)).text();
      expect(html).toContain('aria-label="Cart"');
      expect(/<span class="cart-count" data-testid="cart-count">([^<]*)<\/span>/.exec(html)?.[1]).toBe("\u00a0");
    }
  });

  test("a product in a category links to the category's page, and its JSON-LD names it", async () => {
    const { app } = shop([product({ categoryId: "cat_gear" })]);
    const html = await (await app.request("/products/gooseneck-kettle")).text();
    expect(html).toContain('<nav class="breadcrumbs" aria-label="Breadcrumb"><ol><li><a href="/">Shop</a></li><li><a href="/categories/brewing-gear">Brewing gear</a></li></ol></nav>');
    expect(structuredDataOf(html).category).toBe("Brewing gear");
    expect(preloadedOf(html).productCategory).toEqual({ slug: "brewing-gear", name: "Brewing gear" });
  });

  test("sold out is OutOfStock; absolute URLs come from the request without SHOP_URL", async () => {
    const { app } = shop([product({ stock: 0, priceCents: 5 })]);
    const html = await (await app.request("http://127.0.0.1:8080/products/gooseneck-kettle")).text();
    expect(structuredDataOf(html).offers).toMatchObject({ price: "0.05", availability: "https://schema.org/OutOfStock", url: "http://127.0.0.1:8080/products/gooseneck-kettle" });
    expect(html).toContain("Sold out");
  });

  test("a slug of another script, percent-encoded in the address, finds its product", async () => {
    const { app } = shop([product({ slug: "緑茶-sencha", name: "緑茶 Sencha" })], "https://shop.example.com");
    const response = await app.request(`/products/${encodeURIComponent("緑茶-sencha")}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`<link rel="canonical" href="https://shop.example.com/products/${encodeURIComponent("緑茶-sencha")}" />`);
  });

  test("an unknown slug is the storefront's Page not found with status 404, not indexed", async () => {
    const { app } = shop([product()]);
    const response = await app.request("/products/no-such-thing");
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain("<h1 tabindex=\"-1\">Page not found</h1>");
    expect(html).toContain('<meta name="robots" content="noindex, follow" />');
    expect(preloadedOf(html).product).toBeNull();
  });

  test("an address no slug can have is the 404 page, never a query: a NUL byte, a broken escape, a capital", async () => {
    const { app } = shop([product()]);
    for (const path of ["/products/%00", "/products/%E0%A4%A", "/products/Gooseneck-Kettle", `/products/${"x".repeat(300)}`]) {
      const response = await app.request(path);
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toStartWith("text/html");
    }
  });

  test("a name that closes a script element stays text in the page and in its data", async () => {
    const name = `</script><script>alert(1)</script><!-- "quoted" & 'single' $& \u2028`;
    const { app } = shop([product({ name, description: name })]);
    const html = await (await app.request("/products/gooseneck-kettle")).text();
    expect(html).not.toContain("<script>alert(1)");
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(preloadedOf(html).product.name).toBe(name);
    expect(structuredDataOf(html).name).toBe(name);
    expect(html).toContain("<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!-- &quot;quoted&quot; &amp; &#39;single&#39; $&amp;");
  });

  test("the catalog renders its first page; a search asks for the same page the browser would, one canonical address for every sort", async () => {
    const { app, searches } = shop([product(), product({ id: "prd_mug", slug: "mug", name: "Mug" })], "https://shop.example.com");
    const home = await (await app.request("/")).text();
    expect(home).toContain('<a href="/products/gooseneck-kettle">Gooseneck Kettle</a>');
    expect(home).toContain('<link rel="canonical" href="https://shop.example.com/" />');
    // The row of categories, server-rendered: links a crawler follows.
    expect(home).toContain('<a href="/categories/brewing-gear">Brewing gear</a>');
    expect(home).not.toContain("noindex");
    const found = await (await app.request("/?q=%20kettle%20&sort=price_asc")).text();
    expect(found).toContain('<link rel="canonical" href="https://shop.example.com/?q=kettle" />');
    expect(found).not.toContain("noindex");
    expect(found).toContain('value=" kettle "');
    expect(searches).toEqual([{ sort: "newest", limit: 24 }, { q: "kettle", sort: "price_asc", limit: 24 }]);
    expect(preloadedOf(found)).toMatchObject({ path: "/", search: "?q=%20kettle%20&sort=price_asc", products: { nextCursor: null } });
  });

  test("a category's page: its name, its products, the search for them only; an unknown category is 404", async () => {
    const { app, searches } = shop([product()], "https://shop.example.com");
    const response = await app.request("/categories/brewing-gear?sort=name");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<h1 tabindex="-1">Brewing gear</h1>');
    expect(html).toContain('<a href="/products/gooseneck-kettle">Gooseneck Kettle</a>');
    expect(html).toContain("<title>Brewing gear — Ember &amp; Leaf</title>");
    expect(html).toContain('<link rel="canonical" href="https://shop.example.com/categories/brewing-gear" />');
    expect(searches).toEqual([{ sort: "name", category: "brewing-gear", limit: 24 }]);
    expect(preloadedOf(html)).toMatchObject({ path: "/categories/brewing-gear", search: "?sort=name", categories });
    for (const path of ["/categories/no-such-shelf", "/categories/%00", "/categories/Brewing-Gear"]) {
      const missing = await app.request(path);
      expect(missing.status).toBe(404);
      expect(await missing.text()).toContain('<h1 tabindex="-1">Page not found</h1>');
    }
  });

  test("a search the API would refuse is left to the browser: the page, without products", async () => {
    const { app, searches } = shop([product()]);
    const response = await app.request(`/?q=${"x".repeat(101)}`);
    expect(response.status).toBe(200);
    expect(preloadedOf(await response.text()).products).toBeUndefined();
    expect(searches).toEqual([]);
  });

  test("the pages answer GET and HEAD only", async () => {
    const { app } = shop([product()]);
    expect((await app.request("/products/gooseneck-kettle", { method: "HEAD" })).status).toBe(200);
    const post = await app.request("/products/gooseneck-kettle", { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });
});
