import { Hono } from "hono";
import * as v from "valibot";
import { DeadLetterIdParam, DeadLetterListQuery } from "../operations/schemas.ts";
import { adminCatalogRoutes } from "./adminCatalog.ts";
import { adminCategoryRoutes } from "./adminCategories.ts";
import { adminOrderRoutes } from "./adminOrders.ts";
import type { ApiDeps, Env } from "./deps.ts";
import { described, documented } from "./docs/described.ts";
import { error, ok, okList, limitOutOfRange, retryAfter } from "./docs/responses.ts";
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
    .use(described(async (c, next) => {
      if (!c.get("admin")) throw new ApiError(401, "unauthorized", "send Authorization: Bearer <admin token>");
      await next();
    }, { admin: true, responses: { 401: error("unauthorized: without the admin token, or with another one") } }))
    .get("/overview", documented({
      summary: "Orders by status, orders per second over the last 10 minutes, consumer lag, dead-letter counts",
      responses: { 200: ok("The overview", "Overview") },
    }), async (c) => c.json(await operations.overview()))
    .get("/dead-letters", documented({
      summary: "Dead letters, newest first",
      responses: { 200: okList("Dead letters", "DeadLetter"), 400: limitOutOfRange },
    }), query(DeadLetterListQuery), async (c) => c.json(await operations.deadLetters(c.req.valid("query").limit)))
    .post("/dead-letters/:id/replay", documented({
      summary: "Publish a dead letter's original message to its source topic again",
      description: "The same key and bytes, the original headers without the dlq-* ones. Answers once Kafka acknowledged it; the message is then processed, or dead-lettered again as a new dead letter with its new reason. A dead letter is replayed once.",
      responses: {
        200: ok("Replayed: the dead letter, with replayedAt", "DeadLetter"),
        404: error("not_found: no such dead letter"),
        409: error("conflict: already replayed, or its source topic is not one the shop consumes"),
        503: error("unavailable: Kafka did not acknowledge it (nothing was marked, try again), PostgreSQL is unreachable, or this instance is shutting down", retryAfter),
      },
    }), param(v.object({ id: DeadLetterIdParam }), "dead letter"), async (c) => {
      const { id } = c.req.valid("param");
      const result = await operations.replay(id);
      switch (result.outcome) {
        case "replayed": return c.json(result.deadLetter);
        case "not_found": throw notFound("dead letter");
        case "refused": throw new ApiError(409, "conflict", `dead letter ${id} cannot be replayed: ${result.why}`);
        case "unacknowledged": throw unavailable("Kafka");
      }
    })
    .route("/products", adminCatalogRoutes(deps))
    .route("/categories", adminCategoryRoutes(deps))
    .route("/orders", adminOrderRoutes(deps));
}
