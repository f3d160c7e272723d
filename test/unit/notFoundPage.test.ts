import { describe, expect, test } from "bun:test";
import { createApp } from "../../src/http/app.ts";
import { testDeps } from "../support/apiDeps.ts";

describe("unknown addresses", () => {
  const app = createApp(testDeps());

  test("a page the shop does not have is an HTML page with status 404", async () => {
    for (const method of ["GET", "HEAD"]) {
      const response = await app.request("/no/such/page", { method, headers: { Accept: "text/html" } });
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toStartWith("text/html");
      expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
      if (method === "GET") {
        const html = await response.text();
        expect(html).toContain("<h1>Page not found</h1>");
        expect(html).not.toMatch(/<script\b|<style\b|\sstyle="/i);
      }
    }
  });

  test("the API keeps the contract's JSON 404, and other methods too", async () => {
    for (const [method, path] of [["GET", "/api/nothing"], ["GET", "/api"], ["POST", "/no/such/page"]]) {
      const response = await app.request(path!, { method, headers: { Accept: "text/html" } });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: { code: "not_found", message: "resource not found" } });
    }
  });
});
