import { afterAll, beforeAll, expect, test } from "bun:test";
import { startShop, type RunningShop } from "../support/shop.ts";

let shop: RunningShop;

beforeAll(async () => {
  shop = await startShop({ ROLES: "api" }, "e2e-headers");
}, 120_000);

afterAll(async () => {
  await shop?.stop();
});

function expectSecurityHeaders(response: Response, what: string) {
  const csp = response.headers.get("content-security-policy") ?? "";
  const directives = Object.fromEntries(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values.join(" ")]));
  expect({ what, directives: { script: directives["script-src"], style: directives["style-src"], frames: directives["frame-ancestors"], base: directives["base-uri"] } })
    .toEqual({ what, directives: { script: "'self'", style: "'self'", frames: "'none'", base: "'self'" } });
  expect(csp).not.toContain("unsafe");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
}

test("every response carries the security headers: pages, assets, images, API answers, errors, event streams", async () => {
  for (const path of ["/", "/cart", "/checkout", "/orders", `/orders/${crypto.randomUUID()}`]) {
    const response = await fetch(shop.url + path);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toStartWith("text/html");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expectSecurityHeaders(response, path);
  }

  // A page the browser renders names only its assets (the server-rendered ones link to pages too).
  const html = await (await fetch(shop.url + "/cart")).text();
  const assets = [...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]!);
  expect(assets.some((a) => a.endsWith(".js"))).toBe(true);
  expect(assets.some((a) => a.endsWith(".css"))).toBe(true);
  for (const asset of assets) {
    const response = await fetch(shop.url + asset);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toContain("immutable");
    expectSecurityHeaders(response, asset);
  }

  for (const path of ["/images/uji-sencha.svg", "/api/products", "/api/orders", "/api/nowhere", "/healthz"]) {
    expectSecurityHeaders(await fetch(shop.url + path), path);
  }
  const refused = await fetch(`${shop.url}/api/orders`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  expect(refused.status).toBe(400);
  expectSecurityHeaders(refused, "POST /api/orders (400)");

  const stream = new AbortController();
  const events = await fetch(`${shop.url}/api/orders/${crypto.randomUUID()}/events`, { signal: stream.signal });
  expect(events.headers.get("content-type")).toStartWith("text/event-stream");
  expectSecurityHeaders(events, "event stream");
  stream.abort();
}, 60_000);

test("the page needs no inline script or style: everything it runs is a file of its own, the rest JSON data", async () => {
  const html = await (await fetch(shop.url + "/")).text();
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  expect(scripts.length).toBeGreaterThan(0);
  for (const [, attributes, body] of scripts) {
    // A data block (the page's data for hydration, JSON-LD) is never run, and CSP need not allow it.
    if (/\btype="application\/(ld\+)?json"/.test(attributes!)) {
      expect(() => JSON.parse(body!)).not.toThrow();
      continue;
    }
    expect(attributes).toMatch(/\bsrc="\//);
    expect(body!.trim()).toBe("");
  }
  expect(html).not.toMatch(/<style\b|\sstyle="|\son[a-z]+="/i);
  // Nothing loaded from elsewhere; the canonical link is absolute, and loads nothing.
  expect(html).not.toMatch(/src="(?:https?:)?\/\/|<link\b(?![^>]*\brel="canonical")[^>]*\bhref="(?:https?:)?\/\//);
});
