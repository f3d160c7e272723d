import { Hono, type Context } from "hono";
import * as v from "valibot";
import { productHref } from "../../../public/components/AddToCart.tsx";
import type { ApiDeps, Env } from "../deps.ts";
import { documented } from "../docs/described.ts";
import { htmlPage } from "../docs/responses.ts";
import { acceptsGzip } from "../middleware/compression.ts";
import { originOf } from "./origin.ts";
import {
  productSitemapCount, productSitemapRange, robotsTxt, sitemapIndex, URLSET_CLOSE, URLSET_OPEN, urlEntry, urlset,
} from "./sitemap.ts";

/** Products read from PostgreSQL at a time for a sitemap: a page of 50,000 is never in memory whole. */
const BATCH = 2_000;
/** Crawlers come back now and then; an hour old is fresh enough for them, and spares the database. */
const CACHE_CONTROL = "public, max-age=3600";
const XML = "application/xml; charset=utf-8";
const PRODUCTS_FILE = /^products-([1-9][0-9]{0,8})\.xml$/;

const text = (type: string) => ({ [type]: { schema: { type: "string" } } });

/**
 * A sitemap streamed as it is read, gzipped as it goes when the crawler takes gzip (all do): the
 * app's compression reads an answer whole, and brotli's only streaming quality takes seconds.
 */
function streamed(c: Context<Env>, chunks: AsyncGenerator<string>): Response {
  const encoder = new TextEncoder();
  // Pulled: the next batch is read only when the crawler has taken the one before.
  const body = new ReadableStream<BufferSource>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() { await chunks.return(undefined); },
  });
  const gzip = acceptsGzip(c.req.header("accept-encoding"));
  return new Response(gzip ? body.pipeThrough(new CompressionStream("gzip")) : body, {
    headers: { "Content-Type": XML, "Cache-Control": CACHE_CONTROL, Vary: "Accept-Encoding", ...(gzip && { "Content-Encoding": "gzip" }) },
  });
}

/**
 * robots.txt and the sitemaps (protocol 0.9): sitemap.xml indexes /sitemaps/pages.xml (the home
 * page and each category's with products on sale) and /sitemaps/products-<n>.xml, each at most SITEMAP_URLS_PER_FILE products on sale.
 */
export function sitemapRoutes({ catalog, shopUrl, sitemapUrlsPerFile: size }: ApiDeps) {
  async function* productUrls(origin: string, page: number) {
    const { after, upTo } = productSitemapRange(page, size);
    yield URLSET_OPEN;
    for (let from = after; ;) {
      const rows = await catalog.listedSlugs(from, upTo, BATCH);
      if (rows.length > 0) yield rows.map((row) => urlEntry(`${origin}${productHref(row)}`)).join("");
      if (rows.length < BATCH) break;
      from = rows.at(-1)!.listed;
    }
    yield URLSET_CLOSE;
  }

  return new Hono<Env>()
    .get("/robots.txt", documented({
      summary: "What crawlers may read, and where the sitemap is",
      responses: { 200: { description: "robots.txt", content: text("text/plain") } },
    }), (c) => c.text(robotsTxt(originOf(c, shopUrl)), 200, { "Cache-Control": CACHE_CONTROL }))
    .get("/sitemap.xml", documented({
      summary: "The sitemap index: the home and category pages' sitemap, and one per SITEMAP_URLS_PER_FILE products",
      responses: { 200: { description: "A sitemap index", content: text("application/xml") } },
    }), async (c) => {
      const origin = originOf(c, shopUrl);
      const pages = productSitemapCount(await catalog.lastListed(), size);
      const files = [`${origin}/sitemaps/pages.xml`, ...Array.from({ length: pages }, (_, i) => `${origin}/sitemaps/products-${i + 1}.xml`)];
      return c.body(sitemapIndex(files), 200, { "Content-Type": XML, "Cache-Control": CACHE_CONTROL });
    })
    .get("/sitemaps/:file", documented({
      summary: "One sitemap: pages.xml, or products-<n>.xml",
      path: v.object({ file: v.string() }),
      responses: {
        200: { description: "A sitemap", content: text("application/xml") },
        404: htmlPage("The storefront's Page not found: no such sitemap"),
      },
    }), async (c) => {
      const origin = originOf(c, shopUrl);
      const file = c.req.param("file");
      if (file === "pages.xml") {
        // A category with nothing on its shelf is a page, but not one worth a crawler's visit.
        const shelves = (await catalog.categories()).filter((category) => category.productCount > 0);
        const pages = [`${origin}/`, ...shelves.map((category) => `${origin}/categories/${category.slug}`)];
        return c.body(urlset(pages), 200, { "Content-Type": XML, "Cache-Control": CACHE_CONTROL });
      }
      const page = Number(PRODUCTS_FILE.exec(file)?.[1] ?? 0);
      if (page < 1 || page > productSitemapCount(await catalog.lastListed(), size)) return c.notFound();
      return streamed(c, productUrls(origin, page));
    });
}
