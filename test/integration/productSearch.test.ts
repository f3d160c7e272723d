import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import * as v from "valibot";
import { ProductSearchQuery } from "../../src/catalog/search.ts";
import { SEED } from "../support/arbitraries.ts";
import { createProduct } from "../support/db.ts";
import { productPage, uniqueWord, walkPages } from "../support/productPages.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

let shop: RunningShop;
beforeAll(async () => { shop = await startShop({}, "search"); }, 120_000);
afterAll(async () => { expect(await shop?.stop()).toBe(0); });

async function get(params: Record<string, string>): Promise<Response> {
  return fetch(`${shop.url}/api/products?${new URLSearchParams(params)}`);
}

const page = (params: Record<string, string>) => productPage(shop.url, params);
const walk = (params: Record<string, string>, between?: () => Promise<void>) => walkPages(shop.url, params, between);

describe("GET /api/products: search and browse", () => {
  test("relevance: the exact name first; a typo and each prefix as one types still find it", async () => {
    const t = uniqueWord();
    const exact = await createProduct({ stock: 1, name: `Assam Breakfast ${t}` });
    const blend = await createProduct({ stock: 1, name: `${t} Breakfast Blend` });
    const gold = await createProduct({ stock: 1, name: `Assam ${t} Gold` });

    expect((await page({ q: `assam breakfast ${t}` })).items[0]?.id).toBe(exact);
    expect((await page({ q: `asam brekfast ${t}` })).items[0]?.id).toBe(exact);
    // The seeded tea, by the issue's own example; and one word of a longer name, misspelt.
    expect((await page({ q: "asam brekfast" })).items.map((p) => p.id)).toContain("prd_assam-breakfast");
    expect((await page({ q: "brekfast" })).items.map((p) => p.id)).toContain("prd_assam-breakfast");
    for (let n = 1; n <= "breakfast".length; n++) {
      const ids = (await page({ q: `${t} ${"breakfast".slice(0, n)}`, limit: "100" })).items.map((p) => p.id);
      expect(ids).toContain(exact);
      expect(ids).toContain(blend);
    }
    expect((await page({ q: t, limit: "100" })).items.map((p) => p.id).sort()).toEqual([exact, blend, gold].sort());
    expect((await page({ q: `${t} gold` })).items.map((p) => p.id)[0]).toBe(gold);
    // Lot numbers PostgreSQL's parser reads oddly: alone, 6e15b4 as the number 6e15 and the word b4;
    // after a hyphen, 009226 as the number -009226.
    const lot = await createProduct({ stock: 1, name: `Lot ${t}-6e15b4` });
    expect((await page({ q: `${t} 6e15b4` })).items.map((p) => p.id)).toEqual([lot]);
    expect((await page({ q: `lot ${t}` })).items.map((p) => p.id)).toEqual([lot]);
    const signed = await createProduct({ stock: 1, name: `Lot ${t}-009226` });
    expect((await page({ q: `${t} 009226` })).items.map((p) => p.id)).toEqual([signed]);
  });

  test("names in any script are found whatever the case of the words typed, and misspelt", async () => {
    const t = uniqueWord();
    const names = [`Плов Чайхана ${t}`, `Ζάχαρη Κανέλλα ${t}`, `Crème Brûlée ${t}`];
    const ids = await Promise.all(names.map((name) => createProduct({ stock: 1, name })));
    const found = async (q: string) => (await page({ q: `${q} ${t}` })).items.map((p) => p.id);
    for (const [i, words] of [["чайхана", "ЧАЙХАНА", "Плов"], ["κανέλλα", "ΖΆΧΑΡΗ", "ζάχαρη κανέλλα"], ["crème", "BRÛLÉE", "creme"]].entries()) {
      for (const q of words) expect({ q, found: await found(q) }).toEqual({ q, found: [ids[i]!] });
    }
    // A letter wrong, in a script of its own, still finds it.
    expect(await found("чайхона")).toEqual([ids[0]!]);
  });

  test("sorts: name, price both ways, newest; each a total order", async () => {
    const t = uniqueWord();
    const made: string[] = [];
    for (const [name, price] of [["Cedar", 700], ["Alder", 900], ["Birch", 500], ["Alder", 500]] as const) {
      made.push(await createProduct({ stock: 1, name: `${name} ${t}`, priceCents: price }));
    }
    const listed = async (sort: string) => (await page({ q: t, sort })).items;
    const byName = await listed("name");
    expect(byName.map((p) => p.name)).toEqual([`Alder ${t}`, `Alder ${t}`, `Birch ${t}`, `Cedar ${t}`]);
    expect(byName[0]!.id < byName[1]!.id).toBe(true);
    expect((await listed("price_asc")).map((p) => p.priceCents)).toEqual([500, 500, 700, 900]);
    expect((await listed("price_desc")).map((p) => p.priceCents)).toEqual([900, 700, 500, 500]);
    expect((await listed("newest")).map((p) => p.id)).toEqual([...made].reverse());
  });

  test("a cursor walked while products are added gives each product that was there once, in every sort", async () => {
    for (const sort of ["relevance", "name", "price_asc", "price_desc", "newest"]) {
      const t = uniqueWord();
      const before = new Set<string>();
      for (let i = 0; i < 9; i++) before.add(await createProduct({ stock: 1, name: `${"ABCDEFGHI"[i]} ${t}`, priceCents: 100 * (i % 4) }));
      let added = 0;
      // Names and prices on either side of where the walk stands, and equal to it.
      const seen = await walk({ q: t, sort, limit: "2" }, async () => {
        added++;
        await createProduct({ stock: 1, name: `${"AEZ"[added % 3]} ${t}`, priceCents: 100 * (added % 4) });
      });
      const ids = seen.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of before) expect(ids).toContain(id);
    }
  });

  test("ids: only those products, an archived or unknown one left out", async () => {
    const [a, b] = [await createProduct({ stock: 1 }), await createProduct({ stock: 2 })];
    const items = (await page({ ids: `${a},${b},prd_nope` })).items;
    expect(items.map((p) => p.id).sort()).toEqual([a, b].sort());
  });

  test("bad parameters answer 400 validation_failed naming the parameter", async () => {
    const t = uniqueWord();
    await createProduct({ stock: 1, name: `One ${t}` });
    await createProduct({ stock: 1, name: `Two ${t}` });
    const { nextCursor } = await page({ q: t, sort: "name", limit: "1" });
    const cases: [Record<string, string>, string][] = [
      [{ limit: "0" }, "query.limit"],
      [{ limit: "101" }, "query.limit"],
      [{ limit: "ten" }, "query.limit"],
      [{ sort: "cheapest" }, "query.sort"],
      [{ sort: "relevance" }, "query.sort"],
      [{ q: "x".repeat(101) }, "query.q"],
      [{ cursor: "bm9wZQ" }, "query.cursor"],
      [{ q: t, sort: "price_asc", cursor: nextCursor! }, "query.cursor"],
      [{ ids: Array.from({ length: 101 }, (_, i) => `p${i}`).join(",") }, "query.ids"],
      [{ ids: "a,,b" }, "query.ids"],
    ];
    for (const [params, path] of cases) {
      const response = await get(params);
      expect({ params, status: response.status }).toEqual({ params, status: 400 });
      const body = await response.json();
      expect(body.error.code).toBe("validation_failed");
      expect(body.error.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
  });

  test("any q the schema takes answers 200 with a page, any other 400 (generated, fixed seed)", async () => {
    await fc.assert(fc.asyncProperty(
      fc.oneof(fc.string({ unit: "binary", maxLength: 110 }), fc.string({ unit: "grapheme", maxLength: 40 }), fc.stringMatching(/^[a-z*:&|!() '\\-]{1,20}$/)),
      fc.constantFrom(undefined, "relevance", "name", "newest"),
      async (q, sort) => {
        const params = { q, ...(sort ? { sort } : {}) };
        const response = await get(params);
        // What the server reads: a URL carries a lone surrogate as U+FFFD.
        const sent = Object.fromEntries(new URLSearchParams(new URLSearchParams(params).toString()));
        const valid = v.is(ProductSearchQuery, sent) && !(sort === "relevance" && sent.q!.trim() === "");
        expect({ q, sort, status: response.status }).toEqual({ q, sort, status: valid ? 200 : 400 });
        const body = await response.json();
        if (valid) expect(Array.isArray(body.items)).toBe(true);
        else expect(body.error.code).toBe("validation_failed");
      },
    ), { seed: SEED, numRuns: 300 });
  }, 60_000);
});
