import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import postgres from "postgres";
import { fillCatalog } from "../../scripts/catalog/fill.ts";
import { ownNamespace } from "../../scripts/namespace.ts";
import { startShop, type RunningShop } from "../support/shop.ts";
import { childrenNamed, parseXml, textOf } from "../support/xml.ts";

const PRODUCTS = 300;
/** Small files, so that a few hundred products make several of them. */
const PER_FILE = 100;
const SHOP_URL = "https://shop.example.com";

let shop: RunningShop;
let db: postgres.Sql;

// A database of its own: its every product is in the sitemap, and no other test's is.
beforeAll(async () => {
  const namespace = await ownNamespace(`${process.env.KAFKA_TOPIC_PREFIX!.slice(0, -1)}_sitemap`, process.env, { fresh: true });
  shop = await startShop({ ...namespace, ROLES: "api", SHOP_URL, SITEMAP_URLS_PER_FILE: String(PER_FILE) }, "sitemap");
  await fillCatalog(namespace.DATABASE_URL, PRODUCTS, 7, () => {});
  db = postgres(namespace.DATABASE_URL, { max: 1, onnotice: () => {} });
  // Archived products have no page, and so no place in the sitemap.
  await db`UPDATE products SET archived = true WHERE id IN (SELECT id FROM products ORDER BY listed OFFSET 40 LIMIT 5)`;
}, 120_000);
afterAll(async () => {
  await db?.end();
  expect(await shop?.stop()).toBe(0);
});

/** The locs of a sitemap or an index, which must be well-formed XML of the sitemaps protocol. */
async function locsOf(url: string, entry: "url" | "sitemap"): Promise<string[]> {
  expect(url.startsWith(SHOP_URL)).toBe(true);
  const response = await fetch(`${shop.url}${url.slice(SHOP_URL.length)}`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/xml; charset=utf-8");
  const root = parseXml(await response.text());
  expect(root.name).toBe(entry === "url" ? "urlset" : "sitemapindex");
  expect(root.attributes.xmlns).toBe("http://www.sitemaps.org/schemas/sitemap/0.9");
  return childrenNamed(root, entry).map((e) => textOf(childrenNamed(e, "loc")[0]!));
}

describe("robots.txt and the sitemap of the compiled binary", () => {
  test("robots.txt allows the storefront, keeps crawlers out of the API and shoppers' pages, and names the sitemap", async () => {
    const response = await fetch(`${shop.url}/robots.txt`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toStartWith("text/plain");
    const lines = (await response.text()).split("\n");
    expect(lines).toContain("Allow: /");
    for (const path of ["/api/", "/admin", "/checkout", "/cart", "/orders$"]) expect(lines).toContain(`Disallow: ${path}`);
    expect(lines).toContain(`Sitemap: ${SHOP_URL}/sitemap.xml`);
  });

  test("the index and its files are well-formed, every URL absolute, at most 100 a file, each product on sale exactly once", async () => {
    const files = await locsOf(`${SHOP_URL}/sitemap.xml`, "sitemap");
    const productFiles = files.filter((f) => /\/sitemaps\/products-\d+\.xml$/.test(f));
    expect(files).toEqual([`${SHOP_URL}/sitemaps/pages.xml`, ...productFiles]);
    // 12 seeded products and 300 made: four files of 100.
    expect(productFiles).toHaveLength(4);
    // The home page, and each category with products on sale, which answers with its page.
    const shelves = await db<{ slug: string }[]>`SELECT slug FROM categories WHERE product_count > 0 ORDER BY name, id`;
    expect(shelves.length).toBeGreaterThan(0);
    const pages = await locsOf(files[0]!, "url");
    expect(pages).toEqual([`${SHOP_URL}/`, ...shelves.map((c) => `${SHOP_URL}/categories/${c.slug}`)]);
    expect((await fetch(`${shop.url}${new URL(pages[1]!).pathname}`)).status).toBe(200);
    const urls: string[] = [];
    for (const file of productFiles) {
      const locs = await locsOf(file, "url");
      expect(locs.length).toBeLessThanOrEqual(PER_FILE);
      urls.push(...locs);
    }
    for (const url of urls) expect(url).toMatch(new RegExp(`^${SHOP_URL}/products/[^/?#\\s]+$`));
    const onSale = await db<{ slug: string }[]>`SELECT slug FROM products WHERE NOT archived`;
    expect(onSale).toHaveLength(12 + PRODUCTS - 5);
    expect(urls.toSorted()).toEqual(onSale.map((p) => `${SHOP_URL}/products/${encodeURIComponent(p.slug)}`).toSorted());
    // Each of them a page that answers.
    const page = await fetch(`${shop.url}${new URL(urls.at(-1)!).pathname}`);
    expect(page.status).toBe(200);
  });

  test("a file past the last is 404", async () => {
    expect((await fetch(`${shop.url}/sitemaps/products-5.xml`)).status).toBe(404);
  });
});
