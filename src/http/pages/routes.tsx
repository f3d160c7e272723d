import { Hono, type Context } from "hono";
import * as v from "valibot";
import { catalogHref, productQuery, searchOf } from "../../../public/catalogQuery.ts";
import { productHref } from "../../../public/components/AddToCart.tsx";
import type { Preloaded } from "../../../public/preload.ts";
import { decodedSegment } from "../../../public/router.tsx";
import { plural, shortId } from "../../../public/format.ts";
import type { ListedCategory } from "../../catalog/categories.ts";
import { CategorySlug } from "../../catalog/fields.ts";
import { ProductSearchQuery, productSearch } from "../../catalog/search.ts";
import { isProductSlug } from "../../catalog/slug.ts";
import { OrderIdParam } from "../../orders/schemas.ts";
import type { ApiDeps, Env } from "../deps.ts";
import { documented } from "../docs/described.ts";
import { htmlPage } from "../docs/responses.ts";
import { customerViewer, linkToken } from "../orderLink.ts";
import type { Sessions } from "../middleware/session.ts";
import { session } from "../middleware/session.ts";
import { BUILT_INDEX } from "../storefrontIndex.ts";
import { checkTemplate, pageDocument } from "./document.ts";
import { headTags, productStructuredData, SHOP_NAME, snippet, type PageHead } from "./head.ts";
import { originOf } from "./origin.ts";
import { renderApp } from "./render.tsx";

/**
 * Run from source, the storefront is bundled by Bun and its built HTML is nowhere to be read: pages
 * are then served readable but without the app's scripts (the compiled binary serves them whole).
 */
const TEMPLATE = checkTemplate(BUILT_INDEX ?? `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="description" content="" />
    <title></title>
  </head>
  <body>
    <div id="app"></div>
  </body>
</html>`);

/** Each request renders the page anew (stock and prices change), so a browser asks again each time. */
const CACHE_CONTROL = "no-cache";
/** An order's page holds its customer's name and address: the browser may keep it, a shared cache never. */
const PRIVATE = "private, no-cache";

const CATALOG_TITLE = "Coffee, tea & brewing gear";
const CATALOG_DESCRIPTION = "Small-batch coffee, loose-leaf tea and brewing gear: roasted, picked and chosen in small batches, with the kettles and drippers to brew them well.";

/**
 * The storefront's pages that are rendered on the server, from the same components the browser
 * hydrates (public/App.tsx): the catalog, a category's page, their search results, each
 * product's page, and an order's page for whoever may read the order. A slug no product on sale (or
 * no category) has is the storefront's "Page not found", with status 404. The catalog's pages have
 * the categories, for their row of links.
 */
export function pageRoutes(deps: ApiDeps, sessions: Sessions) {
  const { catalog, orders, shopUrl, linkSecret } = deps;
  // A page is a browser's first response, which sets its session as the API's would (contract).
  const pageSession = session(sessions);

  const answer = (c: Context<Env>, preloaded: Preloaded, head: PageHead, { status = 200, cacheControl = CACHE_CONTROL }: { status?: 200 | 404; cacheControl?: string } = {}) =>
    c.html(pageDocument(TEMPLATE, { head: headTags(head), app: renderApp(preloaded), preloaded }), status, { "Cache-Control": cacheControl });

  const notFound = (c: Context<Env>, origin: string, preloaded: Preloaded) => answer(c, preloaded, {
    title: "Page not found", description: "There's nothing at this address.", canonical: `${origin}${preloaded.path}`, type: "website", noindex: true,
  }, { status: 404 });

  /** The catalog's page (of a category, given one) for the address's search, from its cursor on. */
  async function catalogPage(c: Context<Env>, path: string, categories: ListedCategory[], category?: ListedCategory) {
    const origin = originOf(c, shopUrl);
    const { search } = new URL(c.req.url);
    const { q, sort, cursor } = searchOf(search);
    const query = v.safeParse(ProductSearchQuery, productQuery(q.trim(), sort, cursor, category?.slug));
    const asked = query.success ? productSearch(query.output) : undefined;
    // A search the API would refuse is left to the browser, which shows the API's answer to it.
    const products = asked && !("message" in asked) ? await catalog.search(asked) : undefined;
    const searched = asked && !("message" in asked) ? asked.q : undefined;
    return answer(c, { path, search, categories, ...(products && { products }) }, {
      title: category?.name ?? CATALOG_TITLE,
      description: searched
        ? `${category?.name ?? "Coffee, tea and brewing gear"} matching “${snippet(searched, 100)}”.`
        : category ? `${category.name} at ${SHOP_NAME}: ${plural(category.productCount, "product")} on the shelf, in small batches.` : CATALOG_DESCRIPTION,
      // A later page of the catalog is a page of its own, reached by the link at the end of the one before.
      canonical: `${origin}${searched ? catalogHref({ q: searched }, path) : catalogHref(cursor ? { q: "", sort, cursor } : { q: "" }, path)}`,
      type: "website",
    });
  }

  return new Hono<Env>()
    .get("/", documented({
      summary: "The storefront's catalog, or its search results with q (and sort), rendered on the server",
      responses: { 200: htmlPage("The page, with its first page of products") },
    }), pageSession, async (c) => catalogPage(c, "/", await catalog.categories()))
    .get("/categories/:slug", documented({
      summary: "A category's page, or its search results with q (and sort), rendered on the server",
      path: v.object({ slug: v.string() }),
      responses: { 200: htmlPage("The page, with the category's first page of products"), 404: htmlPage("The storefront's Page not found: no category has this slug") },
    }), pageSession, async (c) => {
      const { pathname: path } = new URL(c.req.url);
      const slug = decodedSegment(path.slice("/categories/".length));
      // Only a slug's shape is looked for, as for a product.
      const categories = await catalog.categories();
      const category = slug !== undefined && v.is(CategorySlug, slug) ? categories.find((each) => each.slug === slug) : undefined;
      if (!category) return notFound(c, originOf(c, shopUrl), { path, search: "", categories });
      return catalogPage(c, path, categories, category);
    })
    .get("/products/:slug", documented({
      summary: "A product's page, rendered on the server, with its JSON-LD",
      path: v.object({ slug: v.string() }),
      responses: { 200: htmlPage("The product's page"), 404: htmlPage("The storefront's Page not found: no product on sale has this slug") },
    }), pageSession, async (c) => {
      const origin = originOf(c, shopUrl);
      const { pathname: path } = new URL(c.req.url);
      // Only a slug's shape is looked up: a NUL byte or a broken escape never reaches the database.
      const slug = decodedSegment(path.slice("/products/".length));
      const product = slug !== undefined && isProductSlug(slug) ? await catalog.bySlug(slug) : undefined;
      if (!product) return notFound(c, origin, { path, search: "", product: null });
      const url = `${origin}${productHref(product)}`;
      const category = product.categoryId === null ? undefined : (await catalog.categories()).find((each) => each.id === product.categoryId);
      const productCategory = category && { slug: category.slug, name: category.name };
      return answer(c, { path, search: "", product, ...(productCategory && { productCategory }) }, {
        title: product.name,
        description: snippet(product.description || product.name),
        canonical: url,
        type: "product",
        image: new URL(product.imageUrl, origin).href,
        structured: productStructuredData(product, url, origin, category?.name),
      });
    })
    .get("/orders/:id", documented({
      summary: "An order's page: rendered on the server for the session that placed the order or with `token`, a mailed link's; otherwise the page the browser renders",
      path: v.object({ id: v.string() }),
      responses: { 200: htmlPage("The order's page: its status, timeline and items in the HTML only for whoever may read the order") },
    }), pageSession, linkToken, async (c) => {
      const id = c.req.param("id");
      const { token } = c.req.valid("query");
      const viewer = v.is(OrderIdParam, id) ? customerViewer(c.get("owner"), { orderId: id, token, secret: linkSecret }) : undefined;
      const order = typeof viewer === "object" ? await orders.get(id, viewer) : undefined;
      // Anyone else gets the page as the browser renders it (which asks the API and shows its
      // refusal, noindex): not a byte of the order, exactly as for an order that does not exist.
      if (!order) return c.html(TEMPLATE, 200, { "Cache-Control": CACHE_CONTROL });
      const { pathname: path, search } = new URL(c.req.url);
      return answer(c, { path, search, order }, {
        title: `Order ${shortId(order.id)}`,
        description: `Order ${shortId(order.id)} at ${SHOP_NAME}: its status, items and delivery.`,
        // The page's own address: a mailed link's token is for its holder, not for an index.
        canonical: `${originOf(c, shopUrl)}${path}`,
        type: "website",
      }, { cacheControl: PRIVATE });
    });
}
