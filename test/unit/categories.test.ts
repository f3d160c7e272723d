import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import * as v from "valibot";
import { CreateCategoryRequest, type Category, type ListedCategory } from "../../src/catalog/categories.ts";
import { categorySlugOf, CategorySlug } from "../../src/catalog/fields.ts";
import { countChanges, decideCatalog, type CatalogOutcome, type CatalogProduct } from "../../src/catalog/decisions.ts";
import { catalogEvent } from "../../src/catalog/events.ts";
import { CatalogCommandEnvelope, catalogKey, type CatalogCommandEnvelope as Command } from "../../src/catalog/schemas.ts";
import { productSearch, ProductSearchQuery } from "../../src/catalog/search.ts";
import type { CatalogEnvelope } from "../../src/catalog/events.ts";
import { createApp } from "../../src/http/app.ts";
import type { CommandResult } from "../../src/operations/catalog.ts";
import { SEED } from "../support/arbitraries.ts";
import { testDeps } from "../support/apiDeps.ts";

const teas: Category = { id: "cat_teas", slug: "teas", name: "Teas" };
const gear: Category = { id: "cat_gear", slug: "gear", name: "Gear" };
const mug: CatalogProduct = { id: "mug", sku: "MUG-1", slug: "mug", name: "Mug", description: "", priceCents: 2200, imageUrl: "/i.svg", stock: 5, archived: false, categoryId: "cat_gear" };

const state = (done = new Map<string, CatalogOutcome>()) => ({
  products: new Map([[mug.id, mug]]),
  skuOwners: new Map([[mug.sku, mug.id]]),
  categories: new Map([[teas.id, teas], [gear.id, gear]]),
  slugOwners: new Map([[teas.slug, teas.id], [gear.slug, gear.id]]),
  done,
});
const base = { occurredAt: new Date().toISOString(), version: 1 as const };
const createCategory = (categoryId: string, slug: string, name = "New"): Command =>
  ({ ...base, id: crypto.randomUUID(), categoryId, type: "UpsertCategory", data: { action: "create", category: { name, slug }, actor: "admin" } });
const rename = (categoryId: string, name: string): Command =>
  ({ ...base, id: crypto.randomUUID(), categoryId, type: "UpsertCategory", data: { action: "rename", name, actor: "admin" } });
const assign = (productId: string, categoryId: string | null, more: object = {}): Command =>
  ({ ...base, id: crypto.randomUUID(), productId, type: "UpsertProduct", data: { action: "update", changes: { categoryId, ...more }, actor: "admin" } });
const createProduct = (productId: string, categoryId: string | null): Command =>
  ({ ...base, id: crypto.randomUUID(), productId, type: "UpsertProduct", data: { action: "create", actor: "admin", product: { sku: productId, name: "P", description: "", priceCents: 1, imageUrl: "/i.svg", stock: 0, categoryId } } });

describe("categories: the catalog's decisions", () => {
  test("a category is created, renamed in the same batch, and written once as it ends; its slug stays", () => {
    const c = createCategory("cat_new", "new-things", "New things");
    const d = decideCatalog([c, rename("cat_new", "Newer things")], state());
    expect(d.createdCategories).toEqual([{ id: "cat_new", slug: "new-things", name: "Newer things", commandId: c.id }]);
    expect(d.renamedCategories).toEqual([]);
    expect(d.outcomes.map((o) => o.kind === "category" && o.status === "changed" && o.category.name)).toEqual(["New things", "Newer things"]);
  });

  test("a slug another category holds, a second create of one id, or a rename of a category that does not exist is refused", () => {
    const d = decideCatalog([createCategory("cat_x", "teas"), createCategory("cat_teas", "other"), createCategory("cat_y", "y"), createCategory("cat_z", "y"), rename("cat_ghost", "G")], state());
    expect(d.outcomes.map((o) => (o.status === "rejected" ? o.reason : o.status))).toEqual(["duplicate_slug", "duplicate_slug", "changed", "duplicate_slug", "unknown_category"]);
    expect(d.createdCategories.map((c) => c.id)).toEqual(["cat_y"]);
  });

  test("a rename of an existing category is written as a rename", () => {
    const d = decideCatalog([rename("cat_teas", "Loose-leaf teas")], state());
    expect(d.renamedCategories).toEqual([{ ...teas, name: "Loose-leaf teas" }]);
    expect(d.createdCategories).toEqual([]);
  });

  test("a product goes into a category that exists, or one created earlier in the batch, or none; an unknown one is refused", () => {
    const d = decideCatalog([assign("mug", "cat_ghost"), createCategory("cat_cups", "cups"), assign("mug", "cat_cups"), createProduct("p1", "cat_ghost"), createProduct("p2", "cat_teas")], state());
    expect(d.outcomes.map((o) => (o.status === "rejected" ? o.reason : o.status))).toEqual(["unknown_category", "changed", "changed", "unknown_category", "changed"]);
    expect(d.changed.map((p) => [p.id, p.categoryId])).toEqual([["mug", "cat_cups"], ["p2", "cat_teas"]]);
    expect(Object.fromEntries(d.productCounts)).toEqual({ cat_gear: -1, cat_cups: 1, cat_teas: 1 });
    expect(decideCatalog([assign("mug", null)], state()).changed[0]!.categoryId).toBeNull();
  });

  test("counts follow products on sale: archiving leaves its category, a move out and back is no change", () => {
    expect(Object.fromEntries(decideCatalog([assign("mug", "cat_gear", { archived: true })], state()).productCounts)).toEqual({ cat_gear: -1 });
    expect(decideCatalog([assign("mug", "cat_teas"), assign("mug", "cat_gear")], state()).productCounts.size).toBe(0);
    // Generated moves of one product: its category's count changes by one at most, the others' sum to zero with it.
    const move = fc.record({ category: fc.constantFrom(null, "a", "b", "c"), archived: fc.boolean() });
    fc.assert(fc.property(fc.option(move, { nil: undefined }), move, (before, after) => {
      const product = (m: { category: string | null; archived: boolean }) => ({ ...mug, categoryId: m.category, archived: m.archived });
      const counts = countChanges([[before && product(before), product(after)]]);
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      expect(total).toBe((after.category && !after.archived ? 1 : 0) - (before?.category && !before.archived ? 1 : 0));
      for (const n of counts.values()) expect(Math.abs(n)).toBe(1);
    }), { seed: SEED, numRuns: 300 });
  });

  test("a redelivered create is answered as stored; its events are keyed and named by the category", () => {
    const c = createCategory("cat_teas", "teas");
    const stored: CatalogOutcome = { commandId: c.id, categoryId: "cat_teas", kind: "category", status: "changed", category: teas };
    const d = decideCatalog([c], state(new Map([[c.id, stored]])));
    expect(d.outcomes).toEqual([stored]);
    expect(d.createdCategories).toEqual([]);
    const event = catalogEvent(stored, new Date());
    expect(event).toMatchObject({ type: "CategoryChanged", categoryId: "cat_teas", data: teas });
    expect(catalogKey(event)).toBe("cat_teas");
    expect(catalogEvent({ commandId: c.id, categoryId: "cat_x", kind: "category", status: "rejected", reason: "duplicate_slug" }, new Date()))
      .toMatchObject({ type: "CategoryChangeRejected", categoryId: "cat_x", data: { commandId: c.id, reason: "duplicate_slug" } });
  });
});

describe("categories: schemas", () => {
  test("a slug is lower-case words joined by single dashes, 1..60 characters; a name is trimmed text", () => {
    for (const slug of ["teas", "green-tea", "v60", "a"]) expect(v.is(CreateCategoryRequest, { name: "N", slug })).toBe(true);
    for (const slug of ["", "Teas", "green--tea", "-tea", "tea-", "tea tea", "thé", "a".repeat(61)]) expect(v.is(CreateCategoryRequest, { name: "N", slug })).toBe(false);
    expect(v.parse(CreateCategoryRequest, { name: " Teas ", slug: "teas" }).name).toBe("Teas");
    expect(v.is(CreateCategoryRequest, { name: "a\u0000b", slug: "teas" })).toBe(false);
    // Whatever the request schema accepts, the command's schema carries.
    fc.assert(fc.property(fc.stringMatching(/^[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}$/), fc.string({ minLength: 1, maxLength: 100 }), (slug, name) => {
      const body = v.safeParse(CreateCategoryRequest, { name, slug });
      if (!body.success) return;
      expect(v.is(CatalogCommandEnvelope, { ...createCategory("cat_1", "x"), data: { action: "create", category: body.output, actor: "admin" } })).toBe(true);
    }), { seed: SEED, numRuns: 300 });
  });

  test("the slug a name suggests is a slug the API takes, or empty when the name has no Latin letter or digit (generated, fixed seed)", () => {
    expect(categorySlugOf(" Thé vert & Matcha ")).toBe("the-vert-matcha");
    expect(categorySlugOf("緑茶")).toBe("");
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 120 }), (name) => {
      const slug = categorySlugOf(name);
      if (slug !== "") expect(v.is(CategorySlug, slug)).toBe(true);
    }), { seed: SEED, numRuns: 2_000 });
  });

  test("the search takes a category slug with any q and sort; a malformed one is refused", () => {
    const parse = (query: Record<string, string>) => productSearch(v.parse(ProductSearchQuery, query));
    expect(parse({ category: "teas" })).toEqual({ sort: "name", limit: 24, category: "teas" });
    expect(parse({ category: "teas", q: "assam", sort: "price_desc" })).toMatchObject({ q: "assam", sort: "price_desc", category: "teas" });
    for (const category of ["", "Teas", "a b", "x".repeat(61)]) expect(v.safeParse(ProductSearchQuery, { category }).success).toBe(false);
  });
});

const TOKEN = "admin-token-for-unit-tests";
const mugProduct = { id: "mug", sku: "MUG-1", slug: "mug", name: "Mug", description: "", priceCents: 2200, currency: "USD" as const, stock: 5, imageUrl: "/i.svg", archived: false, categoryId: null };

function appWith(result: (command: CatalogEnvelope) => CommandResult) {
  const sent: CatalogEnvelope[] = [];
  const listed: ListedCategory[] = [{ ...teas, productCount: 3 }];
  const deps = testDeps({
    catalog: {
      ...testDeps().catalog,
      categories: async () => listed,
      search: async (search) => (search.category === "teas" ? { items: [], nextCursor: null } : undefined),
    },
    catalogAdmin: {
      ...testDeps().catalogAdmin,
      get: async (id) => (id === "mug" ? mugProduct : undefined),
      skuTaken: async () => false,
      category: async (id) => [teas, gear].find((c) => c.id === id),
      slugTaken: async (slug) => slug === "teas",
      send: async (command) => { sent.push(command); return result(command); },
    },
    adminToken: TOKEN,
  });
  return { app: createApp(deps), sent };
}

const send = (app: ReturnType<typeof appWith>["app"], method: string, path: string, body: unknown) =>
  app.request(path, { method, headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(body) });

describe("categories: routes", () => {
  test("GET /api/categories lists them with their counts; a category filter no category has is 400 validation_failed", async () => {
    const { app } = appWith(() => ({ outcome: "pending" }));
    expect(await (await app.request("/api/categories")).json()).toEqual([{ ...teas, productCount: 3 }]);
    expect((await app.request("/api/products?category=teas")).status).toBe(200);
    const unknown = await app.request("/api/products?category=ghost");
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toMatchObject({ code: "validation_failed", issues: [{ path: "query.category" }] });
    expect((await app.request("/api/products?category=Not%20A%20Slug")).status).toBe(400);
  });

  test("create: fields checked, a slug taken is 409 duplicate_slug, a new one an UpsertCategory keyed by a new cat_ id", async () => {
    const { app, sent } = appWith((c) => ({ outcome: "applied", notice: { commandId: c.id, categoryId: "cat_teas", status: "changed" } }));
    const bad = await send(app, "POST", "/api/admin/categories", { name: "", slug: "Bad Slug" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.issues.map((i: { path: string }) => i.path).sort()).toEqual(["name", "slug"]);
    const taken = await send(app, "POST", "/api/admin/categories", { name: "Teas", slug: "teas" });
    expect(taken.status).toBe(409);
    expect((await taken.json()).error).toMatchObject({ code: "conflict", reason: "duplicate_slug" });
    expect(sent).toEqual([]);
    const made = await send(app, "POST", "/api/admin/categories", { name: " Cups ", slug: "cups" });
    expect(made.status).toBe(200);
    expect(sent[0]).toMatchObject({ type: "UpsertCategory", categoryId: expect.stringMatching(/^cat_/), data: { action: "create", category: { name: "Cups", slug: "cups" } } });
    expect(catalogKey(sent[0]!)).toBe((sent[0] as { categoryId: string }).categoryId);
  });

  test("rename: an unknown category is 404, a slug cannot be changed, a name is sent as a rename", async () => {
    const { app, sent } = appWith(() => ({ outcome: "pending" }));
    expect((await send(app, "PATCH", "/api/admin/categories/cat_ghost", { name: "X" })).status).toBe(404);
    expect((await send(app, "PATCH", "/api/admin/categories/cat_teas", { slug: "x" })).status).toBe(400);
    expect((await send(app, "PATCH", "/api/admin/categories/cat_teas", { name: "Loose teas" })).status).toBe(202);
    expect(sent.map((c) => [c.type, c.data])).toEqual([["UpsertCategory", { action: "rename", name: "Loose teas", actor: "admin" }]]);
  });

  test("a product is put in a category that exists, or taken out of it; an unknown one is 400 on categoryId, before and after the worker", async () => {
    const { app, sent } = appWith(() => ({ outcome: "pending" }));
    for (const [method, path, body] of [["PATCH", "/api/admin/products/mug", { categoryId: "cat_ghost" }], ["POST", "/api/admin/products", { sku: "NEW-1", name: "N", description: "", priceCents: 1, categoryId: "cat_ghost" }]] as const) {
      const refused = await send(app, method, path, body);
      expect(refused.status).toBe(400);
      expect((await refused.json()).error.issues).toEqual([{ path: "categoryId", message: "no category has this id" }]);
    }
    expect(sent).toEqual([]);
    expect((await send(app, "PATCH", "/api/admin/products/mug", { categoryId: "cat_teas" })).status).toBe(202);
    expect((await send(app, "PATCH", "/api/admin/products/mug", { categoryId: null })).status).toBe(202);
    expect(sent.map((c) => c.data)).toEqual([
      { action: "update", changes: { categoryId: "cat_teas" }, actor: "admin" },
      { action: "update", changes: { categoryId: null }, actor: "admin" },
    ]);
    const raced = appWith((c) => ({ outcome: "applied", notice: { commandId: c.id, productId: "mug", status: "rejected", reason: "unknown_category" } }));
    expect((await send(raced.app, "PATCH", "/api/admin/products/mug", { categoryId: "cat_teas" })).status).toBe(400);
  });
});
