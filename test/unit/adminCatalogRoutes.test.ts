import { describe, expect, test } from "bun:test";
import type { CatalogEnvelope } from "../../src/catalog/events.ts";
import { createApp } from "../../src/http/app.ts";
import type { CommandResult } from "../../src/operations/catalog.ts";
import type { Product } from "../../src/catalog/schemas.ts";
import { testDeps } from "../support/apiDeps.ts";

const TOKEN = "admin-token-for-unit-tests";
const mug: Product = { id: "mug", sku: "MUG-1", slug: "mug", name: "Mug", description: "", priceCents: 2200, currency: "USD", stock: 5, imageUrl: "/i.svg", archived: false, categoryId: null };

/** The app in memory; commands are recorded and answered with `result(command)`. */
function appWith(result: (command: CatalogEnvelope) => CommandResult) {
  const sent: CatalogEnvelope[] = [];
  const deps = testDeps({
    catalogAdmin: {
      list: async (archived) => [mug].filter((p) => archived === undefined || p.archived === archived),
      get: async (id) => (id === mug.id ? mug : undefined),
      skuTaken: async (sku) => sku === mug.sku,
      category: async () => undefined,
      slugTaken: async () => false,
      movements: async () => [],
      send: async (command) => { sent.push(command); return result(command); },
    },
    adminToken: TOKEN,
  });
  return { app: createApp(deps), sent };
}

const send = (app: ReturnType<typeof appWith>["app"], method: string, path: string, body: unknown) =>
  app.request(path, { method, headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(body) });

describe("catalog admin routes", () => {
  test("create: each invalid field is named in issues, next to its path; nothing is sent", async () => {
    const { app, sent } = appWith(() => ({ outcome: "pending" }));
    const response = await send(app, "POST", "/api/admin/products", { sku: "has space", name: "", description: "x", priceCents: -1, imageUrl: "javascript:alert(1)", stock: 1.5 });
    expect(response.status).toBe(400);
    const { error } = await response.json() as { error: { code: string; issues: { path: string }[] } };
    expect(error.code).toBe("validation_failed");
    expect(error.issues.map((i) => i.path).sort()).toEqual(["imageUrl", "name", "priceCents", "sku", "stock"]);
    expect(sent).toEqual([]);
  });

  test("create: a sku already taken is 409 conflict duplicate_sku; a new one is an UpsertProduct create answered 202 while pending", async () => {
    const { app, sent } = appWith(() => ({ outcome: "pending" }));
    const taken = await send(app, "POST", "/api/admin/products", { sku: "MUG-1", name: "Mug", description: "", priceCents: 1 });
    expect(taken.status).toBe(409);
    expect((await taken.json()).error).toMatchObject({ code: "conflict", reason: "duplicate_sku" });

    const response = await send(app, "POST", "/api/admin/products", { sku: "CUP-1", name: " Cup ", description: "", priceCents: 900 });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ id: sent[0]!.id });
    expect(sent[0]).toMatchObject({ type: "UpsertProduct", data: { action: "create", product: { sku: "CUP-1", name: "Cup", stock: 0, imageUrl: "/images/house-espresso.svg" } } });
    expect(sent[0]).toMatchObject({ productId: expect.stringMatching(/^prd_/) });
  });

  test("edit: sku and stock cannot be patched, an empty patch is refused, an unknown product is 404", async () => {
    const { app, sent } = appWith(() => ({ outcome: "applied", notice: { commandId: "x", productId: "mug", status: "changed" } }));
    for (const body of [{ sku: "X" }, { stock: 3 }, {}]) expect((await send(app, "PATCH", "/api/admin/products/mug", body)).status).toBe(400);
    expect((await send(app, "PATCH", "/api/admin/products/ghost", { name: "x" })).status).toBe(404);
    const ok = await send(app, "PATCH", "/api/admin/products/mug", { archived: true });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual(mug);
    expect(sent.map((c) => c.data)).toEqual([{ action: "update", changes: { archived: true }, actor: "admin" }]);
  });

  test("stock adjustments: 200 with the new stock once applied, 409 would_go_negative when refused, 400 for a zero delta or no reason", async () => {
    const applied = appWith((c) => ({ outcome: "applied", notice: { commandId: c.id, productId: "mug", status: "applied", delta: 4, stock: 9 } }));
    const response = await send(applied.app, "POST", "/api/admin/products/mug/stock-adjustments", { delta: 4, reason: "delivery" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: applied.sent[0]!.id, productId: "mug", delta: 4, stock: 9 });
    expect(applied.sent[0]).toMatchObject({ type: "AdjustStock", productId: "mug", data: { delta: 4, reason: "delivery", actor: "admin" } });

    const refused = appWith((c) => ({ outcome: "applied", notice: { commandId: c.id, productId: "mug", status: "rejected", reason: "would_go_negative", stock: 5 } }));
    const no = await send(refused.app, "POST", "/api/admin/products/mug/stock-adjustments", { delta: -6, reason: "breakage" });
    expect(no.status).toBe(409);
    expect((await no.json()).error).toMatchObject({ code: "conflict", reason: "would_go_negative" });

    for (const body of [{ delta: 0, reason: "x" }, { delta: 1, reason: " " }, { delta: 1.5, reason: "x" }]) {
      expect((await send(refused.app, "POST", "/api/admin/products/mug/stock-adjustments", body)).status).toBe(400);
    }
    const down = appWith(() => ({ outcome: "unacknowledged" }));
    expect((await send(down.app, "POST", "/api/admin/products/mug/stock-adjustments", { delta: 1, reason: "x" })).status).toBe(503);
  });

  test("the list: every product, or the archived ones only, or those on sale only; another value of archived is 400", async () => {
    const { app } = appWith(() => ({ outcome: "pending" }));
    const get = async (query: string) => {
      const response = await app.request(`/api/admin/products${query}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      return [response.status, response.status === 200 ? (await response.json() as Product[]).map((p) => p.id) : []];
    };
    expect(await get("")).toEqual([200, ["mug"]]);
    expect(await get("?archived=false")).toEqual([200, ["mug"]]);
    expect(await get("?archived=true")).toEqual([200, []]);
    expect(await get("?archived=yes")).toEqual([400, []]);
  });

  test("without the admin token: 401", async () => {
    const { app } = appWith(() => ({ outcome: "pending" }));
    expect((await app.request("/api/admin/products")).status).toBe(401);
  });
});
