import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import * as v from "valibot";
import { decodeProductCursor, encodeProductCursor, productSearch, ProductSearchQuery, searchWords, type ProductCursor } from "../../src/catalog/search.ts";
import { SEED } from "../support/arbitraries.ts";

const parse = (query: Record<string, string>) => productSearch(v.parse(ProductSearchQuery, query));

describe("product search, without a database", () => {
  test("relevance is the default with q, name without; relevance without q is refused", () => {
    expect(parse({ q: "assam" })).toMatchObject({ q: "assam", sort: "relevance", limit: 24 });
    expect(parse({})).toEqual({ sort: "name", limit: 24 });
    expect(parse({ q: "   " })).toEqual({ sort: "name", limit: 24 });
    expect(parse({ sort: "relevance" })).toEqual({ path: "query.sort", message: "sort relevance needs q" });
  });

  test("a cursor goes back to the sort it was given for, and to no other", () => {
    const cursor = encodeProductCursor({ sort: "price_asc", key: 500, id: "prd_a" });
    expect(parse({ sort: "price_asc", cursor })).toMatchObject({ after: { sort: "price_asc", key: 500, id: "prd_a" } });
    expect(parse({ sort: "price_desc", cursor })).toEqual({ path: "query.cursor", message: "cursor was given for another sort" });
  });

  test("every cursor round-trips; what the API never gave is refused (generated, fixed seed)", () => {
    const id = fc.stringMatching(/^[a-z0-9_-]{1,20}$/);
    const cursor: fc.Arbitrary<ProductCursor> = fc.oneof(
      fc.record({ sort: fc.constant("name" as const), key: fc.string({ unit: "binary", maxLength: 200 }), id }),
      fc.record({ sort: fc.constantFrom("price_asc" as const, "price_desc" as const), key: fc.nat(), id }),
      fc.record({ sort: fc.constant("newest" as const), key: fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }).map(String), id }),
      fc.record({ sort: fc.constant("relevance" as const), key: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }).map(String)), id }),
    );
    fc.assert(fc.property(cursor, (c) => {
      expect(decodeProductCursor(encodeProductCursor(c))).toEqual(c);
    }), { seed: SEED, numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 60 }), (junk) => {
      const decoded = decodeProductCursor(Buffer.from(junk).toString("base64url"));
      if (decoded) expect(encodeProductCursor(decoded)).toBe(Buffer.from(junk).toString("base64url"));
    }), { seed: SEED, numRuns: 500 });
    for (const bad of [["name", 5, "prd_a"], ["newest", "12x", "prd_a"], ["newest", String(2n ** 63n), "prd_a"], ["price_asc", -1, "prd_a"], ["relevance", 1.5, "prd_a"], ["relevance", [3, "1"], "prd_a"], ["relevance", [1], "prd_a"], ["relevance", [1, "Assam"], "prd_a"], ["name", "a", ""], ["name", "a"], "x"]) {
      expect(decodeProductCursor(Buffer.from(JSON.stringify(bad)).toString("base64url"))).toBeUndefined();
    }
  });

  test("the words searched are letters and digits only, lower case, at most 8, so no q can be tsquery syntax", () => {
    expect(searchWords("Assam Brea")).toEqual(["assam", "brea"]);
    expect(searchWords("it's a V60!")).toEqual(["it", "s", "a", "v60"]);
    expect(searchWords("&|!():*'")).toEqual([]);
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 100 }), (q) => {
      const words = searchWords(q);
      expect(words.length).toBeLessThanOrEqual(8);
      for (const w of words) expect(w).toMatch(/^[\p{L}\p{N}]+$/u);
    }), { seed: SEED, numRuns: 1_000 });
  });
});
