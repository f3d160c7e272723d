import type { RouterRoute } from "hono/types";
import * as v from "valibot";
import pkg from "../../../package.json";
import { DeadLetter, Overview } from "../../operations/schemas.ts";
import { AdminOrder, Order, OrderAccepted, OrderCommandAccepted, OrderPage, PlaceOrderRequest, StatusEvent } from "../../orders/schemas.ts";
import {
  AppliedAdjustment, CommandAccepted, CreateProductRequest, Product, ProductPage, StockAdjustmentRequest, StockEvent, StockMovement, UpdateProductRequest,
} from "../../catalog/schemas.ts";
import { Category, CreateCategoryRequest, ListedCategory, RenameCategoryRequest } from "../../catalog/categories.ts";
import { ErrorBody } from "../contract.ts";
import { partOf, type RoutePart } from "./described.ts";
import { jsonSchema } from "./jsonSchema.ts";
import { allow, error, ref } from "./responses.ts";

/** Named once here and referred to by name: by the routes' answers, and by a request body whose schema is one of these. */
const components: Record<string, v.GenericSchema> = {
  Product, ProductPage, PlaceOrderRequest, OrderAccepted, OrderCommandAccepted, Order, OrderPage, AdminOrder, StatusEvent, Error: ErrorBody, Overview, DeadLetter, StockEvent,
  CreateProductRequest, UpdateProductRequest, StockAdjustmentRequest, AppliedAdjustment, CommandAccepted, StockMovement,
  Category, ListedCategory, CreateCategoryRequest, RenameCategoryRequest,
};

/** What any route may answer whatever it does: another method (methodNotAllowed.ts), headers over 16 KiB (headerLimit.ts) or a failure of our own (app.ts's onError). */
const everyRoute = {
  405: error("method_not_allowed: this path does not answer that method", allow),
  431: error("headers_too_large: the request's headers are over 16 KiB"),
  500: error("internal: something unexpected went wrong on the server"),
};

const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);

/** `/api/orders/:id` as OpenAPI writes it, `/api/orders/{id}`. */
const template = (path: string) => path.replace(/:(\w+)/g, "{$1}");

/** Whether a middleware's path (`/api/*`, `*`) covers a route's. */
const covers = (pattern: string, path: string) => pattern === "*" || pattern === "/*" || (pattern.endsWith("/*") ? path.startsWith(pattern.slice(0, -1)) : pattern === path);

const named = (schema: v.GenericSchema) => Object.entries(components).find(([, component]) => component === schema)?.[0];

/** One parameter per entry of the schema its route parses with; a default is what parsing gives. */
const parameters = (where: "path" | "query", fields: v.ObjectSchema<v.ObjectEntries, undefined>) =>
  Object.entries(fields.entries).map(([name, entry]) => {
    if (where === "path") return { name, in: where, required: true, schema: jsonSchema(entry) };
    const required = entry.type !== "optional";
    const described = jsonSchema(entry, "output");
    return { name, in: where, required, schema: required ? described : { ...described, default: v.parse(entry, undefined) } };
  });

/** The OpenAPI operation the parts of one route make, in the order the route runs them. */
function operation(parts: readonly RoutePart[]) {
  const params: object[] = [];
  let op: Record<string, unknown> = {};
  let responses: Record<number, object> = everyRoute;
  for (const { path, query, header, body, admin, responses: answers, segment: _segment, ...rest } of parts) {
    op = { ...op, ...rest };
    if (path) params.push(...parameters("path", path));
    if (query) params.push(...parameters("query", query));
    if (header) params.push({ name: header.name, in: "header", required: false, schema: jsonSchema(header.schema) });
    if (body) {
      const name = named(body);
      op.requestBody = { required: true, content: { "application/json": { schema: name ? { type: "object", ...ref(name) } : jsonSchema(body) } } };
    }
    if (admin) op.security = [{ adminToken: [] }];
    responses = { ...responses, ...answers };
  }
  return { ...op, ...(params.length > 0 ? { parameters: params } : {}), responses };
}

/**
 * OpenAPI 3.2 for the HTTP API, made from the app's routes: each operation is what its route's
 * validators check (parameters and body, from the schemas they check with) and what the route and
 * the middleware in front of it declare they answer. A route declared without is still listed.
 */
export function openApiDocument(routes: readonly RouterRoute[]) {
  const before = routes.filter((r) => r.method === "ALL" && partOf(r.handler));
  const operations = new Map<string, Map<string, RoutePart[]>>();
  const add = (path: string, method: string, part: RoutePart) => {
    const byMethod = operations.get(path) ?? operations.set(path, new Map()).get(path)!;
    byMethod.set(method, [...(byMethod.get(method) ?? before.filter((r) => covers(r.path, path)).map((r) => partOf(r.handler)!)), part]);
  };
  for (const { method, path, handler } of routes) {
    if (!METHODS.has(method)) continue;
    const part = partOf(handler) ?? {};
    add(part.segment ? path.replace(/[^/]+$/, part.segment) : path, method.toLowerCase(), part);
  }
  const paths = Object.fromEntries([...operations].map(([path, byMethod]) =>
    [template(path), Object.fromEntries([...byMethod].map(([method, parts]) => [method, operation(parts)]))]));
  return {
    openapi: "3.2.0",
    info: { title: "shop", version: pkg.version, description: "An event-driven storefront: orders are accepted into Kafka and confirmed asynchronously." },
    paths,
    components: {
      securitySchemes: { adminToken: { type: "http", scheme: "bearer", description: "The ADMIN_TOKEN the shop was started with" } },
      schemas: Object.fromEntries(Object.entries(components).map(([name, schema]) => [name, jsonSchema(schema)])),
    },
  };
}
