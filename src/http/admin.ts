import { Hono } from "hono";
import * as v from "valibot";
import { DeadLetterIdParam, DeadLetterListQuery } from "../operations/schemas.ts";
import { adminCatalogRoutes } from "./adminCatalog.ts";
import type { ApiDeps, Env } from "./deps.ts";
import { ApiError, notFound, unavailable } from "./errors.ts";
import { param, query } from "./validation.ts";

/**
 * The operations page's API, for the admin only: without the token every path here, unknown ones
 * included, answers 401. The token travels in a header the browser never adds by itself, so a
 * replay cannot be forged from another site.
 */
export function adminRoutes(deps: ApiDeps) {
  const { operations } = deps;
  return new Hono<Env>()
    .use(async (c, next) => {
      if (!c.get("admin")) throw new ApiError(401, "unauthorized", "send Authorization: Bearer <admin token>");
      await next();
    })
    .get("/overview", async (c) => c.json(await operations.overview()))
    .get("/dead-letters", query(DeadLetterListQuery), async (c) => c.json(await operations.deadLetters(c.req.valid("query").limit)))
    .post("/dead-letters/:id/replay", param(v.object({ id: DeadLetterIdParam }), "dead letter"), async (c) => {
      const { id } = c.req.valid("param");
      const result = await operations.replay(id);
      switch (result.outcome) {
        case "replayed": return c.json(result.deadLetter);
        case "not_found": throw notFound("dead letter");
        case "refused": throw new ApiError(409, "conflict", `dead letter ${id} cannot be replayed: ${result.why}`);
        case "unacknowledged": throw unavailable("Kafka");
      }
    })
    .route("/products", adminCatalogRoutes(deps));
}
