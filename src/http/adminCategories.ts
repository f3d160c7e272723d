import { Hono } from "hono";
import { validator } from "hono/validator";
import * as v from "valibot";
import { CategoryId, CreateCategoryRequest, RenameCategoryRequest } from "../catalog/categories.ts";
import { categoryEnvelope } from "../catalog/events.ts";
import { ACTOR, commandRoute, runCommand } from "./catalogCommands.ts";
import type { ApiDeps, Env } from "./deps.ts";
import { described } from "./docs/described.ts";
import { error } from "./docs/responses.ts";
import { conflict, notFound } from "./errors.ts";
import { json, jsonBody, limitBody } from "./validation.ts";

const limited = limitBody();
const readJson = jsonBody();

/**
 * The catalog's categories on the operations page: created and renamed by UpsertCategory commands
 * on catalog.commands, as products are changed. The public list is GET /api/categories.
 */
export function adminCategoryRoutes({ catalogAdmin }: ApiDeps) {
  const run = runCommand(catalogAdmin);
  /** The category the path names, which must exist: checked before the body, as for products. */
  const category = described(validator("param", async ({ id }) => {
    if (!v.is(CategoryId, id) || !(await catalogAdmin.category(id))) throw notFound("category");
    return { id };
  }), { path: v.object({ id: CategoryId }), responses: { 404: error("not_found: no such category") } });

  return new Hono<Env>()
    .post("/", commandRoute("Create a category", "Publishes UpsertCategory on catalog.commands and answers with the category once a worker applied it. Its slug is its storefront address, /categories/<slug>, for good.", {
      applied: ["Created", "Category"], invalid: "invalid_json, or validation_failed with an issue per field", conflict: "conflict, reason duplicate_slug",
    }), limited, readJson, json(CreateCategoryRequest), async (c) => {
      const body = c.req.valid("json");
      // The worker refuses a duplicate too, under its lock; this answers the common case at once.
      if (await catalogAdmin.slugTaken(body.slug)) throw conflict(`another category has the slug ${body.slug}`, "duplicate_slug");
      return run(c, categoryEnvelope("UpsertCategory", `cat_${crypto.randomUUID()}`, { action: "create", category: body, actor: ACTOR }));
    })
    .patch("/:id", commandRoute("Rename a category", "Its slug, and so its address, stays.", {
      applied: ["The category as it now is", "Category"], invalid: "invalid_json, or validation_failed with an issue per field",
    }), limited, category, readJson, json(RenameCategoryRequest), async (c) =>
      run(c, categoryEnvelope("UpsertCategory", c.req.valid("param").id, { action: "rename", name: c.req.valid("json").name, actor: ACTOR })));
}
