import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Parser } from "@asyncapi/parser";
import { Validator } from "@seriousme/openapi-schema-validator";
import { startShop, type RunningShop } from "../support/shop.ts";
import { WHATWG_EMAIL } from "../../src/orders/fields.ts";
import { topics } from "../support/kafka.ts";

let shop: RunningShop;
beforeAll(async () => { shop = await startShop({}, "docs"); }, 120_000);
afterAll(async () => { expect(await shop?.stop()).toBe(0); });

describe("API documents", () => {
  test("GET /api/openapi.json is a valid OpenAPI 3.2 document generated from the request schemas", async () => {
    const doc = await (await fetch(`${shop.url}/api/openapi.json`)).json();
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe("3.2.0");
    const body = doc.components.schemas.PlaceOrderRequest;
    expect(body.properties.items).toMatchObject({ type: "array", minItems: 1, maxItems: 50 });
    expect(body.properties.items.items.properties.quantity).toEqual({ type: "integer", minimum: 1, maximum: 99 });
    expect(body.properties.customer.properties.email).toMatchObject({ type: "string", maxLength: 254, pattern: WHATWG_EMAIL.source });
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/orders", "/api/orders/{id}", "/api/orders/{id}/events", "/api/products", "/api/products/events",
      "/api/admin/products", "/api/admin/products/{id}", "/api/admin/products/{id}/stock-adjustments", "/api/admin/products/{id}/movements"]));
  }, 30_000);

  test("GET /api/asyncapi.json is a valid AsyncAPI 3 document of the topics and envelopes", async () => {
    const doc = await (await fetch(`${shop.url}/api/asyncapi.json`)).json();
    const { document, diagnostics } = await new Parser().parse(doc);
    const errors = diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join(".")}: ${d.message}`);
    expect(errors).toEqual([]);
    expect(document).toBeDefined();
    expect(document!.channels().all().map((c) => c.address()).sort()).toEqual(Object.values(topics).sort());
    expect(doc.components.messages.PlaceOrder.payload.properties.version).toEqual({ const: 1 });
  }, 30_000);
});
