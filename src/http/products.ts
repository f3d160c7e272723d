import { Hono } from "hono";
import * as v from "valibot";
import { ProductId } from "../orders/schemas.ts";
import type { ApiDeps, Env } from "./deps.ts";
import { notFound } from "./errors.ts";

export function productRoutes({ catalog }: ApiDeps) {
  return new Hono<Env>()
    .get("/", async (c) => c.json(await catalog.list()))
    .get("/:id", async (c) => {
      const id = c.req.param("id");
      // An id no product can have (a NUL byte, say) never reaches the database.
      const product = v.is(ProductId, id) ? await catalog.get(id) : undefined;
      if (!product) throw notFound("product");
      return c.json(product);
    });
}
