import { Hono } from "hono";
import * as v from "valibot";
import { ProductId } from "../orders/schemas.ts";
import type { ApiDeps, Env } from "./deps.ts";
import { documented } from "./docs/described.ts";
import { ProductSearchQuery, productSearch } from "../catalog/search.ts";
import { error, eventStream, ok, ref, tooManyStreams } from "./docs/responses.ts";
import { ApiError, notFound } from "./errors.ts";
import { productEvents, StockStreamQuery } from "./productEvents.ts";
import { query } from "./validation.ts";

export function productRoutes(deps: ApiDeps) {
  const { catalog } = deps;
  const events = productEvents(deps);
  return new Hono<Env>()
    .get("/", documented({
      summary: "Products on sale: search, browse, or the ones a cart holds",
      description: "`q` matches each of its words as the start of a word of a product's name or description, and names near it (a typo); `category` keeps a category's products only. Pages follow `nextCursor`, which never repeats or skips a product while others are added.",
      responses: { 200: ok("A page of products", "ProductPage"), 400: error("validation_failed: a parameter out of range, relevance without q, a cursor of another sort, or a category no category has") },
    }), query(ProductSearchQuery), async (c) => {
      const search = productSearch(c.req.valid("query"));
      if ("message" in search) throw new ApiError(400, "validation_failed", "the request is not valid", [search]);
      const page = await catalog.search(search);
      if (!page) throw new ApiError(400, "validation_failed", "the request is not valid", [{ path: "query.category", message: "no category has this slug" }]);
      return c.json(page);
    })
    // One route for /events and /:id: beside a parameter, a fixed segment is more than Hono's
    // RegExpRouter can hold, and the whole app would fall back to its trie router, which takes
    // about 2 % of the shop's CPU under load to match every request.
    .get("/:id", documented({
      summary: "One product",
      path: v.object({ id: ProductId }),
      responses: { 200: ok("The product", "Product"), 404: error("not_found: no such product") },
    }), documented({
      segment: "events",
      summary: "Stock changes as server-sent events",
      description: "`event: stock` on every stock or availability change of any product, whichever instance made it; with `ids`, of those products only, first with where each stands now.",
      query: StockStreamQuery,
      responses: { 200: eventStream({ stock: ref("StockEvent") }), 400: error("validation_failed: ids is not at most 100 comma-separated product ids"), 429: tooManyStreams },
    }), async (c, next) => {
      const id = c.req.param("id");
      if (id === "events") return events(c, next);
      // An id no product can have (a NUL byte, say) never reaches the database.
      const product = v.is(ProductId, id) ? await catalog.get(id) : undefined;
      if (!product) throw notFound("product");
      return c.json(product);
    });
}
