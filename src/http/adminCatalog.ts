import { Hono } from "hono";
import { validator } from "hono/validator";
import * as v from "valibot";
import { catalogEnvelope } from "../catalog/events.ts";
import { AdminProductListQuery, CreateProductRequest, MovementListQuery, StockAdjustmentRequest, UpdateProductRequest } from "../catalog/schemas.ts";
import { ProductId } from "../orders/schemas.ts";
import type { ApiDeps, Env } from "./deps.ts";
import { described, documented } from "./docs/described.ts";
import { error, limitOutOfRange, okList } from "./docs/responses.ts";
import { conflict, notFound } from "./errors.ts";
import { ACTOR, commandRoute as command, runCommand, unknownCategory } from "./catalogCommands.ts";
import { json, jsonBody, limitBody, query } from "./validation.ts";

const limited = limitBody();
const readJson = jsonBody();

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

  const run = runCommand(catalogAdmin);
  /** A product may be put only in a category that exists; the worker checks it again, under its lock. */
  const checkCategory = async (categoryId: string | null | undefined) => {
    if (categoryId && !(await catalogAdmin.category(categoryId))) throw unknownCategory();
  };

  return new Hono<Env>()
    .get("/", documented({
      summary: "Every product, archived ones too; or only the archived ones",
      description: "The operations page pages through the products on sale with GET /api/products and lists the archived ones here.",
      responses: { 200: okList("Products", "Product"), 400: error("validation_failed: archived is not true or false") },
    }), query(AdminProductListQuery), async (c) => c.json(await catalogAdmin.list(c.req.valid("query").archived)))
    .post("/", command("Create a product", "Publishes UpsertProduct on catalog.commands and answers with the product once a worker applied it.", {
      applied: ["Created", "Product"], invalid: "invalid_json, or validation_failed with an issue per field (categoryId: no such category)", conflict: "conflict, reason duplicate_sku",
    }), limited, readJson, json(CreateProductRequest), async (c) => {
      const product = c.req.valid("json");
      // The worker refuses a duplicate too, under its lock; this answers the common case at once.
      if (await catalogAdmin.skuTaken(product.sku)) throw conflict(`another product has the sku ${product.sku}`, "duplicate_sku");
      await checkCategory(product.categoryId);
      return run(c, catalogEnvelope("UpsertProduct", `prd_${crypto.randomUUID()}`, { action: "create", product, actor: ACTOR }));
    })
    .patch("/:id", command("Change a product: name, description, price, image, archived, category", "A new price applies to orders placed after it. An archived product is not listed and cannot be ordered. categoryId null takes it out of its category.", {
      applied: ["The product as it now is", "Product"], invalid: "invalid_json, or validation_failed with an issue per field (categoryId: no such category)", conflict: "conflict, reason duplicate_sku",
    }), limited, product, readJson, json(UpdateProductRequest), async (c) => {
      const changes = c.req.valid("json");
      await checkCategory(changes.categoryId);
      return run(c, catalogEnvelope("UpsertProduct", c.req.valid("param").id, { action: "update", changes, actor: ACTOR }));
    })
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
