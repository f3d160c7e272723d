import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { createProduct, sql, TEST_CATEGORY_SLUG, TEST_PRODUCT_DESCRIPTION } from "../support/db.ts";
import { eventItems, itemProblems } from "../support/eventItems.ts";
import { customer, shippingAddress, readStatusEvents, session } from "../support/http.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

/**
 * Walks every path and method of the running binary's /api/openapi.json, with good and bad input,
 * plus the methods it does not declare, and fails on any answer the document does not describe:
 * an undeclared status, a missing declared header, another media type, or a body its schema refuses.
 */

const ADMIN_TOKEN = `walk-${crypto.randomUUID()}`;
const METHODS = ["get", "post", "put", "patch", "delete"] as const;

type Operation = { responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema?: unknown; itemSchema?: unknown }> }> };
type Document = { paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>> };
/** One request to make: the concrete path, and what to send. */
/** `meanwhile` runs once the answer's headers are in, before its body is read: what makes a stream speak. */
type Probe = { path: string; init?: RequestInit; why: string; meanwhile?: () => Promise<unknown> };

let shop: RunningShop;
let doc: Document;
let ajv: Ajv2020;
let productId: string;
/** A category of the run's own, made straight in the database as a seed would. */
const categoryId = `cat_walk-${crypto.randomUUID()}`;
const categorySlug = `${TEST_CATEGORY_SLUG}walk`;
/** An order placed and decided before the walk, so that reading one answers 200. */
let placedId: string;

beforeAll(async () => {
  shop = await startShop({ ADMIN_TOKEN }, "api-document");
  doc = await (await fetch(`${shop.url}/api/openapi.json`)).json();
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, "openapi.json");
  await sql`INSERT INTO categories (id, slug, name) VALUES (${categoryId}, ${categorySlug}, 'Walked')`;
  productId = await createProduct({ stock: 5, categoryId });
  const placed = await session(shop.url).postOrder({ customer, shippingAddress, items: [{ productId, quantity: 1 }] });
  expect(placed.status).toBe(202);
  placedId = (await placed.json()).id;
  expect((await readStatusEvents(shop.url, placedId)).at(-1)?.status).toBe("confirmed");
}, 120_000);
afterAll(async () => { expect(await shop?.stop()).toBe(0); });

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

/** The schema at `location` in the document checks `value`; its errors, if any, as text. */
function schemaErrors(location: string, value: unknown): string | undefined {
  const validate = ajv.getSchema(`openapi.json#/${location}`);
  if (!validate) throw new Error(`no schema at ${location}`);
  return validate(value) ? undefined : ajv.errorsText(validate.errors);
}

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const jsonPost = (body: string, headers: Record<string, string> = {}): RequestInit =>
  ({ method: "POST", headers: { "content-type": "application/json", ...headers }, body });
const order = (items: unknown) => JSON.stringify({ customer, shippingAddress, items });
const UNKNOWN_UUID = "00000000-0000-4000-8000-000000000000";
/** A product to create; its description marks it as this run's, which the run removes at its end. */
const newProduct = (sku: string) => JSON.stringify({ sku, name: "Walk product", description: TEST_PRODUCT_DESCRIPTION, priceCents: 100 });

/** Good and bad requests for each documented operation, keyed "METHOD /path/{template}". */
function probes(): Record<string, Probe[]> {
  return {
    "GET /api/products": [
      { path: "/api/products", why: "the catalog's first page" },
      { path: "/api/products?q=asam%20brekfast&limit=5", why: "a search with a typo" },
      { path: `/api/products?ids=${productId}`, why: "the products a cart holds" },
      { path: "/api/products?sort=relevance", why: "relevance without q" },
      { path: "/api/products?limit=0", why: "a limit out of range" },
      { path: "/api/products?cursor=bm9wZQ", why: "a cursor this API never gave" },
      { path: `/api/products?category=${categorySlug}&sort=price_desc`, why: "a category's products" },
      { path: "/api/products?category=no-such-category", why: "a category no category has" },
    ],
    "GET /api/categories": [{ path: "/api/categories", why: "every category" }],
    "POST /api/admin/categories": [
      { path: "/api/admin/categories", init: jsonPost(JSON.stringify({ name: "Walk", slug: `${TEST_CATEGORY_SLUG}new` }), admin), why: "a new category" },
      { path: "/api/admin/categories", init: jsonPost(JSON.stringify({ name: "Again", slug: categorySlug }), admin), why: "a slug another category has" },
      { path: "/api/admin/categories", init: jsonPost(JSON.stringify({ name: "", slug: "Not a slug" }), admin), why: "no name, a bad slug" },
      { path: "/api/admin/categories", init: jsonPost("{", admin), why: "bytes that are not JSON" },
      { path: "/api/admin/categories", init: jsonPost(JSON.stringify({ name: "x", slug: "x" })), why: "without the token" },
    ],
    "PATCH /api/admin/categories/{id}": [
      { path: `/api/admin/categories/${categoryId}`, init: { ...jsonPost(JSON.stringify({ name: "Walked again" }), admin), method: "PATCH" }, why: "a new name" },
      { path: `/api/admin/categories/${categoryId}`, init: { ...jsonPost(JSON.stringify({ slug: "x" }), admin), method: "PATCH" }, why: "a slug, which stays" },
      { path: "/api/admin/categories/nope", init: { ...jsonPost(JSON.stringify({ name: "x" }), admin), method: "PATCH" }, why: "an unknown category" },
    ],
    "GET /api/products/{id}": [
      { path: `/api/products/${productId}`, why: "a product" },
      { path: "/api/products/nope", why: "an unknown product" },
      { path: "/api/products/%00", why: "an id no product can have" },
      { path: `/api/products/${"x".repeat(300)}`, why: "an over-long id" },
    ],
    "POST /api/orders": [
      { path: "/api/orders", init: jsonPost(order([{ productId, quantity: 1 }]), { "idempotency-key": crypto.randomUUID() }), why: "a good order" },
      { path: "/api/orders", init: jsonPost(order([{ productId: "nope", quantity: 1 }])), why: "an unknown product" },
      { path: "/api/orders", init: jsonPost(order([{ productId, quantity: 0 }])), why: "quantity 0" },
      { path: "/api/orders", init: jsonPost("{"), why: "bytes that are not JSON" },
      { path: "/api/orders", init: { method: "POST", headers: { "content-type": "text/plain" }, body: order([{ productId, quantity: 1 }]) }, why: "text/plain" },
      { path: "/api/orders", init: { method: "POST" }, why: "no body at all" },
      { path: "/api/orders", init: jsonPost(JSON.stringify({ customer, shippingAddress, items: [], pad: "x".repeat(70_000) })), why: "a body over 64 KiB" },
      { path: "/api/orders", init: jsonPost(order([{ productId, quantity: 1 }]), { "idempotency-key": "k".repeat(256) }), why: "an over-long Idempotency-Key" },
      { path: "/api/orders", init: jsonPost(order([{ productId, quantity: 1 }]), { authorization: "Bearer wrong-token-wrong-token" }), why: "a wrong admin token" },
    ],
    "GET /api/orders": [
      { path: "/api/orders", why: "the session's orders" },
      { path: "/api/orders?limit=1", init: { headers: admin }, why: "the admin's newest order" },
      { path: "/api/orders?limit=0", why: "limit 0" },
      { path: "/api/orders?limit=101", why: "limit 101" },
      { path: "/api/orders?limit=abc", why: "a limit that is no number" },
      { path: "/api/orders", init: { headers: { authorization: "Basic eDp5" } }, why: "another kind of Authorization" },
    ],
    "GET /api/orders/{id}": [
      { path: `/api/orders/${placedId}`, init: { headers: admin }, why: "an order, as the admin" },
      { path: `/api/orders/${placedId}`, why: "another session's order" },
      { path: `/api/orders/${UNKNOWN_UUID}`, why: "an unknown order" },
      { path: "/api/orders/not-a-uuid", why: "an id that is not a UUID" },
      { path: `/api/orders/${UNKNOWN_UUID}`, init: { headers: admin }, why: "an unknown order, as the admin" },
    ],
    "GET /api/orders/{id}/events": [
      { path: `/api/orders/${placedId}/events`, why: "a confirmed order" },
      { path: `/api/orders/${crypto.randomUUID()}/events`, why: "an order not persisted (yet)" },
      { path: "/api/orders/not-a-uuid/events", why: "an id that is not a UUID" },
    ],
    "POST /api/orders/{id}/cancel": [
      { path: `/api/orders/${UNKNOWN_UUID}/cancel`, init: { method: "POST" }, why: "an unknown order, no body" },
      { path: `/api/orders/${placedId}/cancel`, init: jsonPost("{"), why: "bytes that are not JSON" },
      { path: "/api/orders/not-a-uuid/cancel", init: { method: "POST" }, why: "an id that is not a UUID" },
    ],
    "GET /api/admin/orders": [
      { path: "/api/admin/orders?limit=1", init: { headers: admin }, why: "the newest order" },
      { path: "/api/admin/orders?status=confirmed&q=ada", init: { headers: admin }, why: "a search" },
      { path: "/api/admin/orders?cursor=nope", init: { headers: admin }, why: "a cursor the API never gave" },
      { path: "/api/admin/orders", why: "without the token" },
    ],
    "GET /api/admin/orders/{id}": [
      { path: `/api/admin/orders/${placedId}`, init: { headers: admin }, why: "an order with its history" },
      { path: `/api/admin/orders/${UNKNOWN_UUID}`, init: { headers: admin }, why: "an unknown order" },
    ],
    "POST /api/admin/orders/{id}/ship": [
      { path: `/api/admin/orders/${UNKNOWN_UUID}/ship`, init: jsonPost(JSON.stringify({ carrier: "DHL", trackingNumber: "JD014600006281" }), admin), why: "an unknown order" },
      { path: `/api/admin/orders/${placedId}/ship`, init: jsonPost(JSON.stringify({ carrier: "" }), admin), why: "no carrier, no tracking number" },
    ],
    "POST /api/admin/orders/{id}/deliver": [
      { path: `/api/admin/orders/${placedId}/deliver`, init: { method: "POST", headers: admin }, why: "an order not shipped" },
      { path: `/api/admin/orders/${UNKNOWN_UUID}/deliver`, init: { method: "POST", headers: admin }, why: "an unknown order" },
    ],
    "POST /api/admin/orders/{id}/cancel": [
      { path: `/api/admin/orders/${UNKNOWN_UUID}/cancel`, init: { method: "POST", headers: admin }, why: "an unknown order" },
    ],
    "GET /api/admin/overview": [
      { path: "/api/admin/overview", init: { headers: admin }, why: "the overview" },
      { path: "/api/admin/overview", why: "without the token" },
    ],
    "GET /api/admin/dead-letters": [
      { path: "/api/admin/dead-letters?limit=1", init: { headers: admin }, why: "the newest dead letter" },
      { path: "/api/admin/dead-letters?limit=201", init: { headers: admin }, why: "limit 201" },
      { path: "/api/admin/dead-letters", why: "without the token" },
    ],
    "POST /api/admin/dead-letters/{id}/replay": [
      { path: "/api/admin/dead-letters/999999999999999999/replay", init: { method: "POST", headers: admin }, why: "an unknown dead letter" },
      { path: "/api/admin/dead-letters/abc/replay", init: { method: "POST", headers: admin }, why: "an id that is no number" },
      { path: "/api/admin/dead-letters/1/replay", init: { method: "POST" }, why: "without the token" },
    ],
    "GET /api/products/events": [{
      path: "/api/products/events", why: "a stock change while the stream is open",
      meanwhile: () => fetch(`${shop.url}/api/admin/products/${productId}/stock-adjustments`, jsonPost(JSON.stringify({ delta: 1, reason: "walk" }), admin)),
    }],
    "GET /api/admin/products": [
      { path: "/api/admin/products", init: { headers: admin }, why: "every product" },
      { path: "/api/admin/products?archived=true", init: { headers: admin }, why: "the archived ones" },
      { path: "/api/admin/products?archived=maybe", init: { headers: admin }, why: "archived neither true nor false" },
      { path: "/api/admin/products", why: "without the token" },
    ],
    "POST /api/admin/products": [
      { path: "/api/admin/products", init: jsonPost(newProduct(`walk-${crypto.randomUUID()}`), admin), why: "a new product" },
      { path: "/api/admin/products", init: jsonPost(newProduct(productId), admin), why: "a sku another product has" },
      { path: "/api/admin/products", init: jsonPost(JSON.stringify({ sku: "" }), admin), why: "no name, an empty sku" },
      { path: "/api/admin/products", init: jsonPost("{", admin), why: "bytes that are not JSON" },
      { path: "/api/admin/products", init: { method: "POST", headers: { ...admin, "content-type": "text/plain" }, body: "{}" }, why: "text/plain" },
      { path: "/api/admin/products", init: jsonPost(JSON.stringify({ pad: "x".repeat(70_000) }), admin), why: "a body over 64 KiB" },
      { path: "/api/admin/products", init: jsonPost(newProduct("walk-x")), why: "without the token" },
    ],
    "PATCH /api/admin/products/{id}": [
      { path: `/api/admin/products/${productId}`, init: { ...jsonPost(JSON.stringify({ name: "Walked" }), admin), method: "PATCH" }, why: "a new name" },
      { path: `/api/admin/products/${productId}`, init: { ...jsonPost("{}", admin), method: "PATCH" }, why: "nothing to change" },
      { path: `/api/admin/products/${productId}`, init: { ...jsonPost(JSON.stringify({ categoryId: null }), admin), method: "PATCH" }, why: "out of its category" },
      { path: `/api/admin/products/${productId}`, init: { ...jsonPost(JSON.stringify({ categoryId: "cat_nope" }), admin), method: "PATCH" }, why: "into a category that does not exist" },
      { path: "/api/admin/products/nope", init: { ...jsonPost(JSON.stringify({ name: "x" }), admin), method: "PATCH" }, why: "an unknown product" },
      { path: `/api/admin/products/${productId}`, init: { ...jsonPost(JSON.stringify({ name: "x" })), method: "PATCH" }, why: "without the token" },
    ],
    "POST /api/admin/products/{id}/stock-adjustments": [
      { path: `/api/admin/products/${productId}/stock-adjustments`, init: jsonPost(JSON.stringify({ delta: 2, reason: "restock" }), admin), why: "a restock" },
      { path: `/api/admin/products/${productId}/stock-adjustments`, init: jsonPost(JSON.stringify({ delta: -1_000, reason: "too many" }), admin), why: "below zero" },
      { path: `/api/admin/products/${productId}/stock-adjustments`, init: jsonPost(JSON.stringify({ delta: 0, reason: "" }), admin), why: "delta 0, no reason" },
      { path: "/api/admin/products/nope/stock-adjustments", init: jsonPost(JSON.stringify({ delta: 1, reason: "x" }), admin), why: "an unknown product" },
    ],
    "GET /api/admin/products/{id}/movements": [
      { path: `/api/admin/products/${productId}/movements?limit=5`, init: { headers: admin }, why: "the ledger" },
      { path: `/api/admin/products/${productId}/movements?limit=201`, init: { headers: admin }, why: "limit 201" },
      { path: "/api/admin/products/nope/movements", init: { headers: admin }, why: "an unknown product" },
      { path: `/api/admin/products/${productId}/movements`, why: "without the token" },
    ],
    "GET /api/openapi.json": [{ path: "/api/openapi.json", why: "the document" }],
    "GET /api/asyncapi.json": [{ path: "/api/asyncapi.json", why: "the topics" }],
    "GET /healthz": [{ path: "/healthz", why: "liveness" }],
    "GET /readyz": [{ path: "/readyz", why: "readiness" }],
    "GET /metrics": [{ path: "/metrics", why: "metrics" }],
    "GET /": [{ path: "/", why: "the catalog" }, { path: "/?q=assam&sort=price_asc", why: "a search" }],
    "GET /categories/{slug}": [{ path: "/categories/no-such-shelf", why: "an unknown category" }],
    "GET /orders/{id}": [
      { path: `/orders/${placedId}`, why: "another session's order" }, { path: `/orders/${placedId}?token=forged`, why: "a forged link" },
      { path: "/orders/not-an-order", why: "an id no order has" },
    ],
    "GET /robots.txt": [{ path: "/robots.txt", why: "robots.txt" }],
    "GET /sitemap.xml": [{ path: "/sitemap.xml", why: "the sitemap index" }],
    "GET /sitemaps/{file}": [
      { path: "/sitemaps/pages.xml", why: "the home page's sitemap" }, { path: "/sitemaps/products-1.xml", why: "the first products' sitemap" },
      { path: "/sitemaps/products-9999.xml", why: "past the last" },
    ],
    "GET /products/{slug}": [
      { path: "/products/assam-breakfast-black-tea-100g", why: "a seeded product" }, { path: "/products/no-such-product", why: "an unknown slug" },
    ],
  };
}

/** A sample concrete path for a template, for the methods it does not declare. */
const concrete = (template: string) => template.replace("{id}", template.includes("dead-letters") ? "1" : UNKNOWN_UUID);

/** Every way `response` differs from what the document says `method` on `template` answers. */
async function mismatches(template: string, method: string, response: Response): Promise<string[]> {
  const status = String(response.status);
  const declared = doc.paths[template]?.[method as "get"]?.responses[status];
  if (!declared) {
    await response.body?.cancel();
    return [`status ${status} is not declared`];
  }
  const problems: string[] = [];
  for (const name of Object.keys(declared.headers ?? {})) {
    if (!response.headers.has(name)) problems.push(`declared header ${name} is missing`);
  }
  const content = declared.content ?? {};
  const type = (response.headers.get("content-type") ?? "").split(";")[0]!.trim();
  const media = content[type];
  const at = pointer("paths", template, method, "responses", status, "content", type);
  if (!media) {
    await response.body?.cancel();
    return [...problems, `Content-Type ${type || "(none)"} is not declared; the document says ${Object.keys(content).join(", ") || "no body"}`];
  }
  if (type === "text/event-stream") {
    // The first event: the stream itself stays open while the order is not final.
    const items = eventItems(response);
    const { value: first } = await items.next();
    await items.return(undefined);
    if (!first) problems.push("the stream closed before its first event");
    else problems.push(...itemProblems(ajv, doc, `${at}/itemSchema`, first));
  } else if (type === "application/json") {
    const error = schemaErrors(`${at}/schema`, await response.json());
    if (error) problems.push(`body: ${error}`);
  } else {
    const error = schemaErrors(`${at}/schema`, await response.text());
    if (error) problems.push(`body: ${error}`);
  }
  return problems;
}

describe("every answer of the running binary is one its OpenAPI document declares", () => {
  test("every documented operation, with good and bad input", async () => {
    const all = probes();
    const documented = Object.entries(doc.paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path}`));
    expect(Object.keys(all).sort()).toEqual(documented.sort());

    const seen = new Map<string, Set<number>>();
    const failures: string[] = [];
    for (const [operation, list] of Object.entries(all)) {
      const [method, template] = operation.split(" ") as [string, string];
      for (const probe of list) {
        const where = `${method} ${probe.path.slice(0, 80)} (${probe.why})`;
        try {
          const response = await fetch(shop.url + probe.path, { method, ...probe.init, signal: AbortSignal.timeout(15_000) });
          await probe.meanwhile?.();
          seen.set(operation, (seen.get(operation) ?? new Set()).add(response.status));
          for (const problem of await mismatches(template, method.toLowerCase(), response)) failures.push(`${where} → ${response.status}: ${problem}`);
        } catch (error) {
          failures.push(`${where}: ${(error as Error).message}`);
        }
      }
    }
    expect(failures).toEqual([]);
    // The probes reach what they are meant to: a success and the operation's own refusals.
    expect([...seen.get("POST /api/orders")!].sort()).toEqual([202, 400, 401, 413, 415]);
    expect([...seen.get("GET /api/orders/{id}")!].sort()).toEqual([200, 404]);
    expect([...seen.get("GET /api/orders/{id}/events")!].sort()).toEqual([200, 404]);
    expect([...seen.get("POST /api/admin/dead-letters/{id}/replay")!].sort()).toEqual([401, 404]);
    expect([...seen.get("POST /api/admin/products")!].sort()).toEqual([200, 400, 401, 409, 413, 415]);
    expect([...seen.get("POST /api/admin/products/{id}/stock-adjustments")!].sort()).toEqual([200, 400, 404, 409]);
    expect([...seen.get("POST /api/orders/{id}/cancel")!].sort()).toEqual([400, 404]);
    expect([...seen.get("GET /api/admin/orders")!].sort()).toEqual([200, 400, 401]);
    expect([...seen.get("POST /api/admin/orders/{id}/ship")!].sort()).toEqual([400, 404]);
    expect([...seen.get("POST /api/admin/orders/{id}/deliver")!].sort()).toEqual([404, 409]);
  }, 60_000);

  test("a request body the route refuses as malformed is invalid by the document too", async () => {
    const location = pointer("paths", "/api/orders", "post", "requestBody", "content", "application/json", "schema");
    for (const body of ["0", "null", "[]", '"order"', "{}", order([])]) {
      expect({ body, valid: schemaErrors(location, JSON.parse(body)) === undefined }).toEqual({ body, valid: false });
      const response = await fetch(`${shop.url}/api/orders`, jsonPost(body));
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
    }
  });

  test("a method a path does not declare answers 405 with Allow and the error envelope", async () => {
    const failures: string[] = [];
    for (const [template, item] of Object.entries(doc.paths)) {
      const allowed = METHODS.filter((m) => item[m]);
      for (const method of allowed) {
        if (!item[method]!.responses["405"]) failures.push(`${method.toUpperCase()} ${template} does not declare 405`);
      }
      for (const method of METHODS.filter((m) => !item[m])) {
        const response = await fetch(shop.url + concrete(template), { method: method.toUpperCase(), headers: admin });
        const allow = (response.headers.get("allow") ?? "").split(",").map((m) => m.trim().toLowerCase()).filter(Boolean);
        const body = await response.json().catch(() => undefined);
        const error = schemaErrors(pointer("components", "schemas", "Error"), body);
        if (response.status !== 405 || error || !allowed.every((m) => allow.includes(m))) {
          failures.push(`${method.toUpperCase()} ${template} → ${response.status}, Allow: ${response.headers.get("allow")}, body ${JSON.stringify(body)}${error ? ` (${error})` : ""}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
