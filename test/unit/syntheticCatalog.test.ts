import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import * as v from "valibot";
import { syntheticCategories, syntheticProduct } from "../../scripts/catalog/synthetic.ts";
import { CreateCategoryRequest } from "../../src/catalog/categories.ts";
import { CreateProductRequest } from "../../src/catalog/schemas.ts";

describe("the synthetic catalog", () => {
  test("the same seed and index give the same product; another seed another", () => {
    expect(syntheticProduct(7, 123)).toEqual(syntheticProduct(7, 123));
    expect(syntheticProduct(8, 123).name).not.toBe(syntheticProduct(7, 123).name);
  });

  test("every product is one the admin API takes as it is", () => {
    fc.assert(fc.property(fc.nat(1_000_000), fc.nat(1_000_000), (seed, index) => {
      const { kind: _kind, category: _category, ...fields } = syntheticProduct(seed, index);
      const parsed = v.safeParse(CreateProductRequest, { ...fields, categoryId: "cat_x" });
      expect(parsed.success).toBe(true);
      expect(parsed.output).toEqual({ ...fields, categoryId: "cat_x" });
    }), { seed: 21, numRuns: 2_000 });
  });

  test("a catalog of 5,000 has a sku and a name each of its own, every kind, and some sold out or scarce", () => {
    const products = Array.from({ length: 5_000 }, (_, i) => syntheticProduct(1, i));
    expect(new Set(products.map((p) => p.sku)).size).toBe(5_000);
    expect(new Set(products.map((p) => p.name)).size).toBe(5_000);
    const kinds = Map.groupBy(products, (p) => p.kind);
    for (const kind of ["coffee", "tea", "gear"] as const) expect(kinds.get(kind)!.length).toBeGreaterThan(500);
    const soldOut = products.filter((p) => p.stock === 0).length;
    const scarce = products.filter((p) => p.stock! > 0 && p.stock! <= 5).length;
    expect(soldOut).toBeGreaterThan(100);
    expect(scarce).toBeGreaterThan(200);
  });

  test("a few dozen categories the admin API takes as they are, each with products of one kind; every product in one of them", () => {
    expect(syntheticCategories.length).toBeGreaterThanOrEqual(24);
    expect(syntheticCategories.length).toBeLessThanOrEqual(48);
    for (const category of syntheticCategories) expect(v.parse(CreateCategoryRequest, category)).toEqual(category);
    expect(new Set(syntheticCategories.map((c) => c.slug)).size).toBe(syntheticCategories.length);
    const products = Array.from({ length: 5_000 }, (_, i) => syntheticProduct(1, i));
    const byCategory = Map.groupBy(products, (p) => p.category);
    expect([...byCategory.keys()].sort()).toEqual(syntheticCategories.map((c) => c.slug).sort());
    for (const [, inCategory] of byCategory) expect(new Set(inCategory.map((p) => p.kind)).size).toBe(1);
    expect(syntheticProduct(7, 123).category).toBe(syntheticProduct(7, 123).category);
  });
});
