import { Hono } from "hono";
import type { ApiDeps, Env } from "./deps.ts";
import { documented } from "./docs/described.ts";
import { okList } from "./docs/responses.ts";

/** The catalog's categories, for the storefront's navigation; each one's page is /categories/<slug>. */
export function categoryRoutes({ catalog }: ApiDeps) {
  return new Hono<Env>()
    .get("/", documented({
      summary: "Every category, by name, with how many of its products are on sale",
      description: "`GET /api/products?category=<slug>` lists a category's products.",
      responses: { 200: okList("Categories", "ListedCategory") },
    }), async (c) => c.json(await catalog.categories()));
}
