import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { brotliDecompressSync } from "node:zlib";
import { createProduct, sql } from "../support/db.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

const SHOP_URL = "https://shop.example.com";
let shop: RunningShop;
const tag = crypto.randomUUID().slice(0, 8);
const name = `</script><b>"Kettle"</b> & Co ${tag}`;
let productId: string;
let slug: string;

beforeAll(async () => {
  [shop, productId] = await Promise.all([
    startShop({ ROLES: "api", SHOP_URL }, "product-pages"),
    createProduct({ stock: 4, priceCents: 1234, name }),
  ]);
  [{ slug }] = await sql<[{ slug: string }]>`SELECT slug FROM products WHERE id = ${productId}`;
}, 120_000);

afterAll(async () => {
  await shop?.stop();
  await sql.begin(async (tx) => {
    await tx`DELETE FROM stock_movements WHERE product_id = ${productId}`;
    await tx`DELETE FROM products WHERE id = ${productId}`;
  });
});

const jsonLdOf = (html: string) => JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)![1]!);

describe("server-rendered product pages in the compiled binary", () => {
  test("a product's page holds its name, price and stock in its HTML, its head, and valid JSON-LD Product", async () => {
    expect(slug).toBe(`script-b-kettle-b-co-${tag}`);
    const response = await fetch(`${shop.url}/products/${slug}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toStartWith("text/html");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await response.text();
    const escaped = `&lt;/script&gt;&lt;b&gt;&quot;Kettle&quot;&lt;/b&gt; &amp; Co ${tag}`;
    // preact-render-to-string leaves ">" as it is in text, where it ends nothing.
    expect(html).toContain(`<h1 tabindex="-1">&lt;/script>&lt;b>&quot;Kettle&quot;&lt;/b> &amp; Co ${tag}</h1>`);
    expect(html).toContain("$12.34");
    expect(html).toContain("Only 4 left");
    expect(html).toContain(`<title>${escaped} — Ember &amp; Leaf</title>`);
    expect(html).toContain(`<link rel="canonical" href="${SHOP_URL}/products/${slug}" />`);
    expect(html).toContain(`<meta property="og:url" content="${SHOP_URL}/products/${slug}" />`);
    // The built storefront's assets, so the browser hydrates it.
    expect(html).toMatch(/<script type="module" crossorigin src="\/chunk-[a-z0-9]+\.js"><\/script>/);
    expect(html.match(/<script\b/g)).toHaveLength(3);
    expect(jsonLdOf(html)).toEqual({
      "@context": "https://schema.org", "@type": "Product", name, description: expect.any(String), sku: productId,
      image: `${SHOP_URL}/images/house-espresso.svg`, url: `${SHOP_URL}/products/${slug}`,
      offers: { "@type": "Offer", url: `${SHOP_URL}/products/${slug}`, price: "12.34", priceCurrency: "USD", availability: "https://schema.org/InStock" },
    });
  });

  test("the page travels compressed as asked, to the same HTML", async () => {
    const plain = await (await fetch(`${shop.url}/products/${slug}`, { headers: { "accept-encoding": "identity" } })).text();
    const response = await fetch(`${shop.url}/products/${slug}`, { headers: { "accept-encoding": "br" }, decompress: false } as RequestInit);
    expect(response.headers.get("content-encoding")).toBe("br");
    expect(response.headers.get("vary")).toBe("Accept-Encoding");
    expect(brotliDecompressSync(new Uint8Array(await response.arrayBuffer())).toString()).toBe(plain);
  });

  test("an unknown slug is the storefront's styled Page not found, status 404, not indexed", async () => {
    const response = await fetch(`${shop.url}/products/no-such-product-${tag}`);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toStartWith("text/html");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const html = await response.text();
    expect(html).toContain('<h1 tabindex="-1">Page not found</h1>');
    expect(html).toContain('<link rel="stylesheet" crossorigin href="/chunk-');
    expect(html).toContain('<meta name="robots" content="noindex, follow" />');
  });

  test("an archived product has no page", async () => {
    await sql`UPDATE products SET archived = true WHERE id = ${productId}`;
    expect((await fetch(`${shop.url}/products/${slug}`)).status).toBe(404);
    await sql`UPDATE products SET archived = false WHERE id = ${productId}`;
  });
});
