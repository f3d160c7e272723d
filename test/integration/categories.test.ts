import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createProduct, TEST_CATEGORY_SLUG, TEST_PRODUCT_DESCRIPTION } from "../support/db.ts";
import { productPage, uniqueWord, walkPages, type ListedProduct } from "../support/productPages.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

const ADMIN_TOKEN = `admin-${crypto.randomUUID()}`;
const asAdmin = { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };

type Listed = { id: string; slug: string; name: string; productCount: number };

let shop: RunningShop;
beforeAll(async () => { shop = await startShop({ ADMIN_TOKEN }, "categories"); }, 120_000);
afterAll(async () => { expect(await shop?.stop()).toBe(0); });

async function admin(method: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${shop.url}/api/admin${path}`, { method, headers: asAdmin, body: JSON.stringify(body) });
}

/** A category of this run, through the API; answered once the worker applied it. */
async function category(name: string): Promise<Listed> {
  const response = await admin("POST", "/categories", { name, slug: `${TEST_CATEGORY_SLUG}${uniqueWord()}` });
  expect(response.status).toBe(200);
  return response.json();
}

const page = (params: Record<string, string>) => productPage(shop.url, params);

async function listed(id: string): Promise<Listed | undefined> {
  const all = await (await fetch(`${shop.url}/api/categories`)).json() as Listed[];
  return all.find((c) => c.id === id);
}

describe("categories through the catalog commands", () => {
  test("create, assign, move, archive and rename: the list's counts and names follow, the slug stays", async () => {
    const [teas, gear] = [await category("Teas"), await category("Gear")];
    expect(teas).toEqual({ id: expect.stringMatching(/^cat_/), slug: expect.stringContaining(TEST_CATEGORY_SLUG), name: "Teas" } as never);
    const made: ListedProduct[] = [];
    for (const sku of ["a", "b", "c"]) {
      const response = await admin("POST", "/products", { sku: `${uniqueWord()}-${sku}`, name: `Tea ${sku}`, description: TEST_PRODUCT_DESCRIPTION, priceCents: 100, categoryId: teas.id });
      expect(response.status).toBe(200);
      made.push(await response.json());
    }
    expect(made.map((p) => p.categoryId)).toEqual([teas.id, teas.id, teas.id]);
    expect((await listed(teas.id))?.productCount).toBe(3);

    expect((await admin("PATCH", `/products/${made[0]!.id}`, { categoryId: gear.id })).status).toBe(200);
    expect((await admin("PATCH", `/products/${made[1]!.id}`, { archived: true })).status).toBe(200);
    const out = await admin("PATCH", `/products/${made[2]!.id}`, { categoryId: null });
    expect((await out.json()).categoryId).toBeNull();
    expect([(await listed(teas.id))?.productCount, (await listed(gear.id))?.productCount]).toEqual([0, 1]);
    expect((await page({ category: gear.slug })).items.map((p) => p.id)).toEqual([made[0]!.id]);
    expect((await page({ category: teas.slug })).items).toEqual([]);

    const renamed = await admin("PATCH", `/categories/${teas.id}`, { name: "Loose-leaf teas" });
    expect(await renamed.json()).toEqual({ id: teas.id, slug: teas.slug, name: "Loose-leaf teas" });
    expect(await listed(teas.id)).toEqual({ id: teas.id, slug: teas.slug, name: "Loose-leaf teas", productCount: 0 });

    const taken = await admin("POST", "/categories", { name: "Again", slug: teas.slug });
    expect(taken.status).toBe(409);
    expect((await taken.json()).error.reason).toBe("duplicate_slug");
    const unknown = await admin("PATCH", `/products/${made[0]!.id}`, { categoryId: "cat_nope" });
    expect(unknown.status).toBe(400);
  });

  test("the category filter with q and every sort: only the category's products, in the sort's order", async () => {
    const [mine, other] = [await category("Mine"), await category("Other")];
    const t = uniqueWord();
    const inside: string[] = [];
    for (const [name, price] of [["Cedar", 700], ["Alder", 900], ["Birch", 500]] as const) {
      inside.push(await createProduct({ stock: 1, name: `${name} ${t}`, priceCents: price, categoryId: mine.id }));
      await createProduct({ stock: 1, name: `${name} ${t}`, priceCents: price, categoryId: other.id });
    }
    await createProduct({ stock: 1, name: `Alder ${t}`, priceCents: 600 });
    const ids = async (params: Record<string, string>) => (await page({ category: mine.slug, ...params })).items.map((p) => p.id);
    const [cedar, alder, birch] = inside as [string, string, string];
    expect(await ids({ q: `alder ${t}` })).toEqual([alder]);
    // Relevance: all three names hold every word, so newest first.
    expect(await ids({ q: t, sort: "relevance" })).toEqual([birch, alder, cedar]);
    expect(await ids({ q: t, sort: "name" })).toEqual([alder, birch, cedar]);
    expect(await ids({ q: t, sort: "price_asc" })).toEqual([birch, cedar, alder]);
    expect(await ids({ q: t, sort: "price_desc" })).toEqual([alder, cedar, birch]);
    expect(await ids({ q: t, sort: "newest" })).toEqual([birch, alder, cedar]);
    for (const sort of ["name", "price_asc", "price_desc", "newest"]) expect((await ids({ sort })).sort()).toEqual([...inside].sort());
  });

  test("a cursor walked within a category while products are added in it and beside it gives each product that was there once", async () => {
    for (const sort of ["relevance", "name", "price_asc", "price_desc", "newest"]) {
      const [mine, other] = [await category("Walked"), await category("Beside")];
      const t = uniqueWord();
      const before = new Set<string>();
      for (let i = 0; i < 7; i++) before.add(await createProduct({ stock: 1, name: `${"ABCDEFG"[i]} ${t}`, priceCents: 100 * (i % 3), categoryId: mine.id }));
      let added = 0;
      const seen = await walkPages(shop.url, { q: t, sort, limit: "2", category: mine.slug }, async () => {
        added++;
        for (const categoryId of [mine.id, other.id]) await createProduct({ stock: 1, name: `${"AEZ"[added % 3]} ${t}`, priceCents: 100 * (added % 3), categoryId });
      });
      const ids = seen.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of before) expect(ids).toContain(id);
      expect(seen.every((p) => p.categoryId === mine.id)).toBe(true);
    }
  });

  test("a category no category has, or a slug that cannot be one, is 400 validation_failed on query.category", async () => {
    for (const category of [`${TEST_CATEGORY_SLUG}none`, "Not A Slug", ""]) {
      const response = await fetch(`${shop.url}/api/products?${new URLSearchParams({ category, q: "tea" })}`);
      expect(response.status).toBe(400);
      const { error } = await response.json() as { error: { code: string; issues: { path: string }[] } };
      expect(error.code).toBe("validation_failed");
      expect(error.issues.map((i) => i.path)).toContain("query.category");
    }
  });
});
