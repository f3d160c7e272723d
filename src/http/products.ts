import { Hono, type TypedResponse } from "hono";
import * as v from "valibot";
import { ProductId } from "../orders/schemas.ts";
import type { ApiDeps, Env } from "./deps.ts";
import { documented } from "./docs/described.ts";
import { error, eventStream, ok, okList, ref, tooManyStreams } from "./docs/responses.ts";
import { notFound } from "./errors.ts";
import { productEvents } from "./productEvents.ts";

export function productRoutes(deps: ApiDeps) {
  const { catalog } = deps;
  // The catalog hands out the same list until it reloads it; so is its JSON, serialised once.
  const serialised = new WeakMap<object, string>();
  const events = productEvents(deps);
  return new Hono<Env>()
    .get("/", documented({ summary: "The catalog", responses: { 200: okList("Every product", "Product") } }), async (c) => {
      const products = await catalog.list();
      let body = serialised.get(products);
      if (body === undefined) serialised.set(products, (body = JSON.stringify(products)));
      // The products' JSON, as c.json would have typed it for the storefront's client.
      return c.body(body, 200, { "Content-Type": "application/json; charset=UTF-8" }) as Response as Response & TypedResponse<typeof products, 200, "json">;
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
      description: "`event: stock` on every stock or availability change of any product, whichever instance made it.",
      responses: { 200: eventStream({ stock: ref("StockEvent") }), 429: tooManyStreams },
    }), async (c, next) => {
      const id = c.req.param("id");
      if (id === "events") return events(c, next);
      // An id no product can have (a NUL byte, say) never reaches the database.
      const product = v.is(ProductId, id) ? await catalog.get(id) : undefined;
      if (!product) throw notFound("product");
      return c.json(product);
    });
}
