import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { gunzipSync } from "node:zlib";
import { createApp } from "../../src/http/app.ts";
import { escapeXml, productSitemapCount, productSitemapRange, robotsTxt, sitemapIndex, urlset } from "../../src/http/pages/sitemap.ts";
import { testDeps } from "../support/apiDeps.ts";
import { childrenNamed, parseXml, textOf } from "../support/xml.ts";

const NS = "http://www.sitemaps.org/schemas/sitemap/0.9";
const locs = (xml: string, entry: "url" | "sitemap") => {
  const root = parseXml(xml);
  expect(root.attributes.xmlns).toBe(NS);
  return childrenNamed(root, entry).map((e) => textOf(childrenNamed(e, "loc")[0]!));
};

describe("sitemaps, built", () => {
  test("any URL goes into a sitemap and its index as well-formed XML, and reads back the same", () => {
    fc.assert(fc.property(fc.array(fc.webUrl({ withQueryParameters: true, withFragments: true }), { maxLength: 5 }), fc.string(), (urls, text) => {
      const all = [...urls, `https://shop.example/?q=${text}&a='"<>`];
      expect(locs(urlset(all), "url")).toEqual(all);
      expect(locs(sitemapIndex(all), "sitemap")).toEqual(all);
    }), { seed: 2101, numRuns: 100 });
    expect(escapeXml(`a&b<c>"d'`)).toBe("a&amp;b&lt;c&gt;&quot;d&apos;");
  });

  test("the checker refuses what is not well-formed", () => {
    for (const bad of ["<a>", "<a></b>", "<a>x & y</a>", "<a>1 < 2</a>", "<a></a><b></b>", '<a b="1" b="2"/>', "<a>&nbsp;</a>"]) {
      expect(() => parseXml(bad)).toThrow(/not well-formed/);
    }
  });

  test("product pages by the listing order: none larger than its size, every place on one page", () => {
    expect(productSitemapCount(0, 50_000)).toBe(0);
    expect(productSitemapCount(50_000, 50_000)).toBe(1);
    expect(productSitemapCount(100_012, 50_000)).toBe(3);
    expect([1, 2, 3].map((page) => productSitemapRange(page, 100))).toEqual([{ after: 0, upTo: 100 }, { after: 100, upTo: 200 }, { after: 200, upTo: 300 }]);
  });

  test("robots.txt keeps crawlers out of the API, the operations page and shoppers' own pages, and names the sitemap", () => {
    expect(robotsTxt("https://shop.example")).toBe(
      "User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /admin\nDisallow: /checkout\nDisallow: /cart\nDisallow: /orders$\nSitemap: https://shop.example/sitemap.xml\n");
  });
});

describe("sitemaps, served", () => {
  /** An in-memory catalog of `count` products on sale, listed 1..count; every batch it was asked is kept. */
  function shop(count: number, size: number) {
    const batches: number[] = [];
    const products = Array.from({ length: count }, (_, i) => ({ listed: i + 1, slug: `p-${i + 1}` }));
    const app = createApp(testDeps({
      shopUrl: "https://shop.example",
      sitemapUrlsPerFile: size,
      catalog: {
        ...testDeps().catalog,
        lastListed: async () => count,
        categories: async () => [
          { id: "c1", slug: "green-tea", name: "Green tea", productCount: 3 }, { id: "c2", slug: "empty-shelf", name: "Empty", productCount: 0 },
        ],
        listedSlugs: async (after, upTo, limit) => {
          const batch = products.filter((p) => p.listed > after && p.listed <= upTo).slice(0, limit);
          batches.push(batch.length);
          return batch;
        },
      },
    }));
    return { app, batches };
  }

  test("the index names every file; the files hold each product once, at most `size` each, read in batches", async () => {
    const { app, batches } = shop(4_500, 2_100);
    const index = await app.request("/sitemap.xml");
    expect(index.headers.get("content-type")).toBe("application/xml; charset=utf-8");
    const files = locs(await index.text(), "sitemap");
    expect(files).toEqual(["https://shop.example/sitemaps/pages.xml", ...[1, 2, 3].map((n) => `https://shop.example/sitemaps/products-${n}.xml`)]);
    expect(locs(await (await app.request("/sitemaps/pages.xml")).text(), "url")).toEqual(["https://shop.example/", "https://shop.example/categories/green-tea"]);
    const seen: string[] = [];
    for (const n of [1, 2, 3]) {
      const page = locs(await (await app.request(`/sitemaps/products-${n}.xml`)).text(), "url");
      expect(page.length).toBeLessThanOrEqual(2_100);
      seen.push(...page);
    }
    expect(seen).toEqual(Array.from({ length: 4_500 }, (_, i) => `https://shop.example/products/p-${i + 1}`));
    expect(Math.max(...batches)).toBeLessThanOrEqual(2_000);
  });

  test("a file goes gzipped as it is streamed when the crawler takes gzip; one past the last, or not a sitemap, is 404", async () => {
    const { app } = shop(10, 50_000);
    const zipped = await app.request("/sitemaps/products-1.xml", { headers: { "accept-encoding": "gzip, br" } });
    expect(zipped.headers.get("content-encoding")).toBe("gzip");
    expect(zipped.headers.get("vary")).toBe("Accept-Encoding");
    expect(locs(gunzipSync(new Uint8Array(await zipped.arrayBuffer())).toString(), "url")).toHaveLength(10);
    const plain = await app.request("/sitemaps/products-1.xml", { headers: { "accept-encoding": "gzip;q=0" } });
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(locs(await plain.text(), "url")).toHaveLength(10);
    for (const path of ["/sitemaps/products-2.xml", "/sitemaps/products-0.xml", "/sitemaps/products-01.xml", "/sitemaps/other.xml"]) {
      expect((await app.request(path)).status).toBe(404);
    }
  });
});
