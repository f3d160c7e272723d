import { Hono, type Context } from "hono";
import { validator } from "hono/validator";
import * as v from "valibot";
import { catalogEnvelope, type CatalogEnvelope } from "../catalog/events.ts";
import { CreateProductRequest, MovementListQuery, StockAdjustmentRequest, UpdateProductRequest } from "../catalog/schemas.ts";
import { ProductId } from "../orders/schemas.ts";
import type { ApiDeps, Env } from "./deps.ts";
import { conflict, notFound, unavailable } from "./errors.ts";
import { json, jsonBody, limitBody, query } from "./validation.ts";

/** Who changed the catalog, as the ledger records it: there is one admin, known by the token. */
const ACTOR = "admin";

const limited = limitBody();
const readJson = jsonBody();

/**
 * The catalog on the operations page: every change is a command on catalog.commands, answered with
 * its result once a worker applied it, or 202 with the command's id if that takes more than 5 s.
 * Mounted under the admin routes, which let only the admin through.
 */
export function adminCatalogRoutes({ catalogAdmin }: ApiDeps) {
  /** The product the path names, which must exist: checked before the body, as a 404 says more than the body's faults. */
  const product = validator("param", async ({ id }) => {
    if (!v.is(ProductId, id) || !(await catalogAdmin.get(id))) throw notFound("product");
    return { id };
  });

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
    .get("/", async (c) => c.json(await catalogAdmin.list()))
    .post("/", limited, readJson, json(CreateProductRequest), async (c) => {
      const product = c.req.valid("json");
      // The worker refuses a duplicate too, under its lock; this answers the common case at once.
      if (await catalogAdmin.skuTaken(product.sku)) throw conflict(`another product has the sku ${product.sku}`, "duplicate_sku");
      return run(c, catalogEnvelope("UpsertProduct", `prd_${crypto.randomUUID()}`, { action: "create", product, actor: ACTOR }));
    })
    .patch("/:id", limited, product, readJson, json(UpdateProductRequest), async (c) =>
      run(c, catalogEnvelope("UpsertProduct", c.req.valid("param").id, { action: "update", changes: c.req.valid("json"), actor: ACTOR })))
    .post("/:id/stock-adjustments", limited, product, readJson, json(StockAdjustmentRequest), async (c) => {
      const { delta, reason } = c.req.valid("json");
      return run(c, catalogEnvelope("AdjustStock", c.req.valid("param").id, { delta, reason, actor: ACTOR }));
    })
    .get("/:id/movements", product, query(MovementListQuery), async (c) =>
      c.json(await catalogAdmin.movements(c.req.valid("param").id, c.req.valid("query").limit)));
}
