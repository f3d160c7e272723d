import { describe, expect, test } from "bun:test";
import { createApp } from "../../src/http/app.ts";
import { openApiDocument } from "../../src/http/docs/openapi.ts";
import { testDeps } from "../support/apiDeps.ts";

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** `/api/orders/:id` as OpenAPI writes it, `/api/orders/{id}`. */
const template = (path: string) => path.replace(/:(\w+)/g, "{$1}");

describe("the OpenAPI document and the routes", () => {
  test("every route the app answers is documented, and every documented operation is a route", () => {
    const app = createApp(testDeps());
    const routed = new Set(app.routes.filter((r) => METHODS.includes(r.method.toLowerCase() as never)).map((r) => `${r.method} ${template(r.path)}`));
    const paths = openApiDocument().paths as Record<string, Partial<Record<(typeof METHODS)[number], unknown>>>;
    const documented = new Set(Object.entries(paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path}`)));
    // One route answers both: beside a parameter, a fixed segment would cost the whole app its fast router (products.ts).
    routed.add("GET /api/products/events");
    expect([...routed].sort()).toEqual([...documented].sort());
  });
});
