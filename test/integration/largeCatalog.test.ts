import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { fillCatalog } from "../../scripts/catalog/fill.ts";
import { syntheticCategories, syntheticProduct } from "../../scripts/catalog/synthetic.ts";
import { ownNamespace } from "../../scripts/namespace.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

/** Issue 21 asks the bench for 100,000 products and CI for 5,000: enough for every list to be pages. */
const PRODUCTS = 5_000;
const SEED = 21;

let shop: RunningShop;

// A database of its own: 5,000 products in the run's shared one would fill every other test's lists.
beforeAll(async () => {
  const namespace = await ownNamespace(`${process.env.KAFKA_TOPIC_PREFIX!.slice(0, -1)}_catalog`, process.env, { fresh: true });
  shop = await startShop(namespace, "large-catalog");
  await fillCatalog(namespace.DATABASE_URL, PRODUCTS, SEED, () => {});
}, 180_000);
afterAll(async () => { expect(await shop?.stop()).toBe(0); });

type Page = { items: { id: string; name: string; priceCents: number }[]; nextCursor: string | null };

async function walk(params: string): Promise<Page["items"]> {
  const seen: Page["items"] = [];
  for (let cursor: string | null = null, first = true; first || cursor !== null; first = false) {
    const response = await fetch(`${shop.url}/api/products?${params}&limit=100${cursor ? `&cursor=${cursor}` : ""}`);
    expect(response.status).toBe(200);
    const page = (await response.json()) as Page;
    seen.push(...page.items);
    cursor = page.nextCursor;
  }
  return seen;
}

describe(`a catalog of ${PRODUCTS.toLocaleString("en-US")} products`, () => {
  test("walked page by page in each order, every product comes once, in that order", async () => {
    const seeded = new Set(Array.from({ length: PRODUCTS }, (_, i) => syntheticProduct(SEED, i).sku.toLowerCase()));
    for (const sort of ["name", "price_asc", "newest"]) {
      const items = await walk(`sort=${sort}`);
      const ids = items.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const sku of seeded) expect(ids).toContain(`prd_${sku}`);
      if (sort === "price_asc") expect(items.map((p) => p.priceCents)).toEqual(items.map((p) => p.priceCents).sort((a, b) => a - b));
    }
  }, 60_000);

  test("every product is in its category: the list counts each category's products, and a category's pages are those products", async () => {
    const expected = Map.groupBy(Array.from({ length: PRODUCTS }, (_, i) => syntheticProduct(SEED, i)), (p) => p.category);
    const listed = await (await fetch(`${shop.url}/api/categories`)).json() as { slug: string; productCount: number }[];
    expect(listed.map((c) => [c.slug, c.productCount]).sort()).toEqual(syntheticCategories.map((c) => [c.slug, expected.get(c.slug)?.length ?? 0]).sort());
    for (const slug of ["coffee-from-kenya", "oolong", "kettles"]) {
      const items = await walk(`category=${slug}&sort=price_desc`);
      expect(items.map((p) => p.id).sort()).toEqual(expected.get(slug)!.map((p) => `prd_${p.sku.toLowerCase()}`).sort());
    }
  });

  // Relevance reads the newest 2,000 products one by one before it asks the index (WALK in
  // src/db/productSearch.ts): 5,000 products put most matches past that walk, and pages of 100 end
  // both inside and beyond it.
  test("walked page by page by relevance, a search gives each of its matches once, those it gives newest first", async () => {
    for (const params of ["q=natural", "q=roast", "q=te", "q=natural&category=coffee-from-kenya", "q=washed"]) {
      const relevant = await walk(`${params}&sort=relevance`);
      const newest = await walk(`${params}&sort=newest`);
      expect(newest.length).toBeGreaterThan(0);
      const ids = relevant.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect({ params, ids: [...ids].sort() }).toEqual({ params, ids: newest.map((p) => p.id).sort() });
    }
    expect((await walk("q=natural&sort=newest")).length).toBeGreaterThan(300);
  });

  test("any product is found by a word of its name mistyped and the start of another", async () => {
    let tried = 0;
    for (let i = 0; i < PRODUCTS; i += 97) {
      const { name, sku } = syntheticProduct(SEED, i);
      const words = name.split(/[^\p{L}]+/u).filter((w) => w.length >= 4);
      // The longest word, two of its last letters swapped ("secnod"), and the start of another; a
      // word of four or five letters has too few trigrams left to be told from others by them.
      const first = words.reduce((a, b) => (b.length > a.length ? b : a));
      if (first.length < 6) continue;
      tried++;
      const second = words.find((w) => w !== first) ?? first;
      const at = first.length - 3;
      const mistyped = first.slice(0, at) + first[at + 1] + first[at] + first.slice(at + 2);
      const lot = sku.split("-").at(-1)!;
      const q = `${mistyped} ${second.slice(0, 4)} ${lot}`;
      const page = (await (await fetch(`${shop.url}/api/products?q=${encodeURIComponent(q)}`)).json()) as Page;
      expect({ q, first: page.items[0]?.id }).toEqual({ q, first: `prd_${sku.toLowerCase()}` });
    }
    expect(tried).toBeGreaterThan(30);
  });
});
