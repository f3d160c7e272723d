import { Hono } from "hono";
import type { ApiDeps, Env } from "./deps.ts";
import { notFound } from "./errors.ts";

export function productRoutes({ catalog }: ApiDeps) {
  return new Hono<Env>()
    .get("/", async (c) => c.json(await catalog.list()))
    .get("/:id", async (c) => {
      const product = await catalog.get(c.req.param("id"));
      if (!product) throw notFound("product");
      return c.json(product);
    });
}
