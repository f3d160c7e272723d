import type { Context } from "hono";
import type { CatalogEnvelope } from "../catalog/events.ts";
import type { CatalogAdmin } from "../operations/catalog.ts";
import type { Env } from "./deps.ts";
import { documented } from "./docs/described.ts";
import { error, jsonBodyErrors, ok } from "./docs/responses.ts";
import { ApiError, conflict, notFound, unavailable } from "./errors.ts";

/** Who changed the catalog, as the ledger records it: there is one admin, known by the token. */
export const ACTOR = "admin";

/** A category the request names that does not exist: refused as the API and the worker both see it. */
export const unknownCategory = () =>
  new ApiError(400, "validation_failed", "the request is not valid", [{ path: "categoryId", message: "no category has this id" }]);

/**
 * What a route that sends a command answers: the outcome once a worker applied it, 202 when none
 * did within 5 s, or the command's refusal.
 */
export const commandRoute = (summary: string, description: string, { applied: [applied, answer], invalid, conflict }: {
  applied: [description: string, schema: string]; invalid: string; conflict?: string;
}) => documented({
  summary, description,
  responses: {
    200: ok(applied, answer),
    202: ok("Not applied within 5 s: the command's id; it is in Kafka and will be applied", "CommandAccepted"),
    400: error(invalid), ...jsonBodyErrors,
    ...(conflict ? { 409: error(conflict) } : {}) as Record<number, object>,
  },
});

/**
 * Sends a catalog command; answers with what it made (the product, the adjustment, the category)
 * once a worker applied it, or 202 with its id while it is still on its way.
 */
export const runCommand = (catalogAdmin: CatalogAdmin) => async (c: Context<Env>, command: CatalogEnvelope) => {
  const result = await catalogAdmin.send(command, c.get("requestId"));
  if (result.outcome === "unacknowledged") throw unavailable("the catalog queue");
  if (result.outcome === "pending") return c.json({ id: command.id }, 202);
  const { notice } = result;
  if ("categoryId" in notice) {
    if (notice.status === "rejected") {
      if (notice.reason === "duplicate_slug") throw conflict("another category has this slug", "duplicate_slug");
      throw notFound("category");
    }
    const category = await catalogAdmin.category(notice.categoryId);
    if (!category) throw notFound("category");
    return c.json(category);
  }
  if (notice.status === "rejected") {
    if (notice.reason === "would_go_negative") throw conflict(`the adjustment would take stock below zero: ${notice.stock} in stock`, "would_go_negative");
    if (notice.reason === "duplicate_sku") throw conflict("another product has this sku", "duplicate_sku");
    if (notice.reason === "unknown_category") throw unknownCategory();
    throw notFound("product");
  }
  if (notice.status === "applied") return c.json({ id: command.id, productId: notice.productId, delta: notice.delta, stock: notice.stock });
  const product = await catalogAdmin.get(notice.productId);
  if (!product) throw notFound("product");
  return c.json(product);
};
