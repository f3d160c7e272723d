import { describe, expect, test } from "bun:test";
import { decideCatalog, type CatalogOutcome, type CatalogProduct } from "../../src/catalog/decisions.ts";
import type { CatalogCommandEnvelope } from "../../src/catalog/schemas.ts";

const mug: CatalogProduct = { id: "mug", sku: "MUG-1", slug: "mug", name: "Mug", description: "A mug", priceCents: 2200, imageUrl: "/images/mug.svg", stock: 5, archived: false, categoryId: null };
const state = (products: CatalogProduct[] = [mug], done = new Map<string, CatalogOutcome>()) => ({
  products: new Map(products.map((p) => [p.id, p])),
  skuOwners: new Map(products.map((p) => [p.sku, p.id])),
  categories: new Map(),
  slugOwners: new Map(),
  done,
});
const base = (productId: string) => ({ id: crypto.randomUUID(), productId, occurredAt: new Date().toISOString(), version: 1 as const });
const adjust = (productId: string, delta: number): CatalogCommandEnvelope =>
  ({ ...base(productId), type: "AdjustStock", data: { delta, reason: "count", actor: "admin" } });
const create = (productId: string, sku: string, stock = 0): CatalogCommandEnvelope =>
  ({ ...base(productId), type: "UpsertProduct", data: { action: "create", actor: "admin", product: { sku, name: "New", description: "", priceCents: 100, imageUrl: "/i.svg", stock, categoryId: null } } });
const update = (productId: string, changes: object): CatalogCommandEnvelope =>
  ({ ...base(productId), type: "UpsertProduct", data: { action: "update", actor: "admin", changes } });

describe("decideCatalog", () => {
  test("an adjustment moves stock and records a movement with the stock after it", () => {
    const c = adjust("mug", 7);
    const d = decideCatalog([c], state());
    expect(d.outcomes).toEqual([{ commandId: c.id, productId: "mug", kind: "adjustment", status: "applied", delta: 7, reason: "count", actor: "admin", stock: 12 }]);
    expect(d.movements).toEqual([{ productId: "mug", kind: "adjustment", delta: 7, stockAfter: 12, commandId: c.id, reason: "count", actor: "admin" }]);
    expect(d.changed.map((p) => p.stock)).toEqual([12]);
  });

  test("an adjustment below zero is refused and changes nothing, while a later one in the batch still applies", () => {
    const [down, up] = [adjust("mug", -6), adjust("mug", -5)];
    const d = decideCatalog([down!, up!], state());
    expect(d.outcomes.map((o) => o.status)).toEqual(["rejected", "applied"]);
    expect(d.outcomes[0]).toMatchObject({ reason: "would_go_negative", stock: 5, delta: -6 });
    expect(d.refusals).toEqual([{ commandId: down!.id, productId: "mug", delta: -6, reason: "count", actor: "admin", stock: 5 }]);
    expect(d.movements.map((m) => m.stockAfter)).toEqual([0]);
  });

  test("adjustments in one batch add up in arrival order", () => {
    const d = decideCatalog([adjust("mug", -5), adjust("mug", -1), adjust("mug", 3)], state());
    expect(d.outcomes.map((o) => o.status)).toEqual(["applied", "rejected", "applied"]);
    expect(d.changed[0]!.stock).toBe(3);
  });

  test("a create names the product's page after its name, and a rename keeps the address", () => {
    const d = decideCatalog([create("tea", "TEA-1"), update("tea", { name: "Thé vert du Japon" })], state());
    expect(d.changed.map((p) => [p.name, p.slug])).toEqual([["Thé vert du Japon", "new"]]);
    expect(d.outcomes.map((o) => o.kind === "product" && o.status === "changed" && o.product.slug)).toEqual(["new", "new"]);
  });

  test("a create opens the product with its stock as the opening movement, even with none", () => {
    const c = create("new", "NEW-1");
    const d = decideCatalog([c, adjust("new", 4)], state());
    expect(d.movements.map((m) => [m.kind, m.delta, m.stockAfter])).toEqual([["opening", 0, 0], ["adjustment", 4, 4]]);
    expect(d.changed).toEqual([{ id: "new", sku: "NEW-1", slug: "new", name: "New", description: "", priceCents: 100, imageUrl: "/i.svg", stock: 4, archived: false, categoryId: null }]);
    expect(d.outcomes[0]).toMatchObject({ status: "changed", product: { stock: 0 } });
  });

  test("a create with a sku another product holds, or a second create in the batch with it, is refused", () => {
    const d = decideCatalog([create("a", "MUG-1"), create("b", "B-1"), create("c", "B-1")], state());
    expect(d.outcomes.map((o) => (o.status === "rejected" ? o.reason : o.status))).toEqual(["duplicate_sku", "changed", "duplicate_sku"]);
    expect(d.changed.map((p) => p.id)).toEqual(["b"]);
  });

  test("an update changes only the fields it names; archiving keeps the stock", () => {
    const d = decideCatalog([update("mug", { priceCents: 2500, archived: true })], state());
    expect(d.changed).toEqual([{ ...mug, priceCents: 2500, archived: true }]);
    expect(d.movements).toEqual([]);
  });

  test("a command for a product that does not exist is refused as unknown_product", () => {
    const d = decideCatalog([update("ghost", { name: "x" }), adjust("ghost", 1)], state());
    expect(d.outcomes.map((o) => o.status === "rejected" && o.reason)).toEqual(["unknown_product", "unknown_product"]);
    expect(d.changed).toEqual([]);
  });

  test("a command already applied is answered as stored and not applied again; a repeat within the batch once", () => {
    const c = adjust("mug", 3);
    const stored: CatalogOutcome = { commandId: c.id, productId: "mug", kind: "adjustment", status: "applied", delta: 3, reason: "count", actor: "admin", stock: 8 };
    const d = decideCatalog([c, c], state([{ ...mug, stock: 8 }], new Map([[c.id, stored]])));
    expect(d.outcomes).toEqual([stored]);
    expect(d.movements).toEqual([]);
    expect(d.changed).toEqual([]);
  });
});
