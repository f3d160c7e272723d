import { Hono, type Context } from "hono";
import { validator } from "hono/validator";
import * as v from "valibot";
import { catalogEnvelope, type CatalogEnvelope } from "../catalog/events.ts";
import { CreateProductRequest, MovementListQuery, StockAdjustmentRequest, UpdateProductRequest } from "../catalog/schemas.ts";
import { ProductId } from "../orders/schemas.ts";
import type { ApiDeps, Env } from "./deps.ts";
import { described, documented } from "./docs/described.ts";
import { error, jsonBodyErrors, limitOutOfRange, ok, okList } from "./docs/responses.ts";
import { conflict, notFound, unavailable } from "./errors.ts";
import { json, jsonBody, limitBody, query } from "./validation.ts";

/** Who changed the catalog, as the ledger records it: there is one admin, known by the token. */
const ACTOR = "admin";

const limited = limitBody();
const readJson = jsonBody();

/**
 * What a route that sends a command answers: the outcome once a worker applied it, 202 when none
 * did within 5 s, or the command's refusal.
 */
const command = (summary: string, description: string, { applied: [applied, answer], invalid, conflict }: {
  applied: [description: string, schema: string]; invalid: string; conflict: string;
}) => documented({
  summary, description,
  responses: {
    200: ok(applied, answer),
    202: ok("Not applied within 5 s: the command's id; it is in Kafka and will be applied", "CommandAccepted"),
    400: error(invalid), 409: error(conflict), ...jsonBodyErrors,
  },
});

/**
 * The catalog on the operations page: every change is a command on catalog.commands, answered with
 * its result once a worker applied it, or 202 with the command's id if that takes more than 5 s.
 * Mounted under the admin routes, which let only the admin through.
 */
export function adminCatalogRoutes({ catalogAdmin }: ApiDeps) {
  /** The product the path names, which must exist: checked before the body, as a 404 says more than the body's faults. */
  const product = described(validator("param", async ({ id }) => {
    if (!v.is(ProductId, id) || !(await catalogAdmin.get(id))) throw notFound("product");
    return { id };
  }), { path: v.object({ id: ProductId }), responses: { 404: error("not_found: no such product") } });

  /** Sends the command; answers with its outcome once applied, or 202 with its id while it is still on its way. */
  const run = async (c: Context<Env>, command: CatalogEnvelope) => {
    const result = await catalogAdmin.send(command, c.get("requestId"));
    if (result.outcome === "unacknowledged") throw unavailable("the catalog queue");
    if (result.outcome === "pending") return c.json({ id: command.id }, 202);
    const { notice } = result;
    if (notice.status === "rejected") {
      if (notice.reason === "would_go_negative") throw conflict(`the adjustment would take stock below zero: ${notice.stock} in stock`, "would_go_negative");
      if (notice.reason === "duplicate_sku") throw conflict("another product has this sku", "duplicate_sku");
      throw notFound("product");
    }
    if (notice.status === "applied") return c.json({ id: command.id, productId: notice.productId, delta: notice.delta, stock: notice.stock });
    const product = await catalogAdmin.get(notice.productId);
    if (!product) throw notFound("product");
    return c.json(product);
  };

  return new Hono<Env>()
    .get("/", documented({ summary: "Every product, archived ones too", responses: { 200: okList("Products", "Product") } }), async (c) => c.json(await catalogAdmin.list()))
    .post("/", command("Create a product", "Publishes UpsertProduct on catalog.commands and answers with the product once a worker applied it.", {
      applied: ["Created", "Product"], invalid: "invalid_json, or validation_failed with an issue per field", conflict: "conflict, reason duplicate_sku",
    }), limited, readJson, json(CreateProductRequest), async (c) => {
      const product = c.req.valid("json");
      // The worker refuses a duplicate too, under its lock; this answers the common case at once.
      if (await catalogAdmin.skuTaken(product.sku)) throw conflict(`another product has the sku ${product.sku}`, "duplicate_sku");
      return run(c, catalogEnvelope("UpsertProduct", `prd_${crypto.randomUUID()}`, { action: "create", product, actor: ACTOR }));
    })
    .patch("/:id", command("Change a product: name, description, price, image, archived", "A new price applies to orders placed after it. An archived product is not listed and cannot be ordered.", {
      applied: ["The product as it now is", "Product"], invalid: "invalid_json, or validation_failed with an issue per field", conflict: "conflict, reason duplicate_sku",
    }), limited, product, readJson, json(UpdateProductRequest), async (c) =>
      run(c, catalogEnvelope("UpsertProduct", c.req.valid("param").id, { action: "update", changes: c.req.valid("json"), actor: ACTOR })))
    .post("/:id/stock-adjustments", command("Move a product's stock, with a reason", "Publishes AdjustStock; a worker applies it under the same row lock as order placement and records it in the stock ledger.", {
      applied: ["Applied", "AppliedAdjustment"], invalid: "invalid_json, or validation_failed", conflict: "conflict, reason would_go_negative: it would take stock below zero; nothing changed",
    }), limited, product, readJson, json(StockAdjustmentRequest), async (c) => {
      const { delta, reason } = c.req.valid("json");
      return run(c, catalogEnvelope("AdjustStock", c.req.valid("param").id, { delta, reason, actor: ACTOR }));
    })
    .get("/:id/movements", documented({
      summary: "The product's stock ledger, newest first",
      responses: { 200: okList("Movements", "StockMovement"), 400: limitOutOfRange },
    }), product, query(MovementListQuery), async (c) =>
      c.json(await catalogAdmin.movements(c.req.valid("param").id, c.req.valid("query").limit)));
}
