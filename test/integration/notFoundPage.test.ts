import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startShop, type RunningShop } from "../support/shop.ts";

let shop: RunningShop;

beforeAll(async () => {
  shop = await startShop({ ROLES: "api" }, "not-found-page");
}, 120_000);

afterAll(async () => {
  await shop?.stop();
});

describe("unknown addresses", () => {
  test("a page the shop does not have is the storefront's own page with status 404 and the security headers", async () => {
    const response = await fetch(`${shop.url}/no/such/page`, { headers: { Accept: "text/html" } });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toStartWith("text/html");
    expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    // The storefront's page, whose router then shows "Page not found" (test/e2e/notFound.test.ts).
    expect(await response.text()).toBe(await (await fetch(`${shop.url}/cart`)).text());
  });

  test("an unknown API path keeps the contract's JSON 404", async () => {
    const response = await fetch(`${shop.url}/api/no/such/thing`, { headers: { Accept: "text/html" } });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toStartWith("application/json");
    expect(await response.json()).toEqual({ error: { code: "not_found", message: "resource not found" } });
  });
});
