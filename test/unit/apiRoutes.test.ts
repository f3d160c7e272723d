import { describe, expect, test } from "bun:test";
import { createApp } from "../../src/http/app.ts";
import { openApiDocument } from "../../src/http/docs/openapi.ts";
import { testDeps } from "../support/apiDeps.ts";

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

type Operation = { summary?: string; responses: Record<string, unknown> };

/** `/api/orders/:id` as OpenAPI writes it, `/api/orders/{id}`. */
const template = (path: string) => path.replace(/:(\w+)/g, "{$1}");

describe("the OpenAPI document and the routes", () => {
  const app = createApp(testDeps());
  const paths = openApiDocument(app.routes).paths as Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
  const operations = Object.entries(paths).flatMap(([path, item]) =>
    METHODS.flatMap((m) => (item[m] ? [[`${m.toUpperCase()} ${path}`, item[m]] as const] : [])));

  test("every route the app answers is an operation, and every operation a route", () => {
    const routed = new Set(app.routes.filter((r) => METHODS.includes(r.method.toLowerCase() as never)).map((r) => `${r.method} ${template(r.path)}`));
    // One route answers both: beside a parameter, a fixed segment would cost the whole app its fast router (products.ts).
    routed.add("GET /api/products/events");
    expect([...routed].sort()).toEqual(operations.map(([name]) => name).sort());
  });

  test("every route declares what it does and what it answers when it succeeds", () => {
    const undeclared = operations.filter(([, op]) => !op.summary || !Object.keys(op.responses).some((status) => status.startsWith("2")));
    expect(undeclared.map(([name]) => name)).toEqual([]);
  });
});
