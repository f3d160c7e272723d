import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createProduct } from "../support/db.ts";
import { customer, shippingAddress, readStatusEvents, session } from "../support/http.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

const ADMIN_TOKEN = `admin-${crypto.randomUUID()}`;
let shop: RunningShop;

beforeAll(async () => {
  shop = await startShop({ ADMIN_TOKEN }, "api");
});
afterAll(async () => {
  expect(await shop?.stop()).toBe(0);
});

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toStartWith("application/json");
  const body = await response.json();
  expect(body.error.code).toBe(code);
  expect(body.error.message).toBeString();
  return body.error as { code: string; message: string; issues?: { path: string; message: string }[] };
}

describe("HTTP API", () => {
  test("products: the seeded catalog, one by id, 404 for an unknown id", async () => {
    const page = await (await fetch(`${shop.url}/api/products?q=house+espresso&limit=100`)).json();
    expect(Object.keys(page).sort()).toEqual(["items", "nextCursor"]);
    const products = page.items;
    expect(products.length).toBeGreaterThanOrEqual(1);
    for (const p of products) {
      expect(Object.keys(p).sort()).toEqual(["archived", "categoryId", "currency", "description", "id", "imageUrl", "name", "priceCents", "sku", "slug", "stock"]);
      expect(p.currency).toBe("USD");
      expect(p.archived).toBe(false);
      expect(Number.isInteger(p.priceCents) && Number.isInteger(p.stock)).toBe(true);
    }
    const first = products.find((p: { id: string }) => p.id === "prd_house-espresso");
    expect(await (await fetch(`${shop.url}/api/products/${first.id}`)).json()).toEqual(first);
    const image = await fetch(`${shop.url}${first.imageUrl}`);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toStartWith("image/svg+xml");
    await expectError(await fetch(`${shop.url}/api/products/prd_nope`), 404, "not_found");
  });

  test("health, readiness, metrics and the storefront answer", async () => {
    expect(await (await fetch(`${shop.url}/healthz`)).json()).toEqual({ status: "ok" });
    expect((await fetch(`${shop.url}/readyz`)).status).toBe(200);
    const metrics = await fetch(`${shop.url}/metrics`);
    expect(metrics.headers.get("content-type")).toStartWith("text/plain");
    expect(await metrics.text()).toContain("# TYPE shop_orders_accepted_total counter");
    const page = await fetch(`${shop.url}/`);
    expect(page.headers.get("content-type")).toStartWith("text/html");
    const html = await page.text();
    expect(html).toContain('<div id="app">');
    // The page names its icon, and browsers that ask for /favicon.ico anyway get it too: no 404 in the console.
    const icon = html.match(/<link rel="icon" href="([^"]+)"/)?.[1];
    for (const path of [icon, "/favicon.ico"]) {
      const r = await fetch(new URL(path!, `${shop.url}/`));
      expect({ path, status: r.status, type: r.headers.get("content-type") }).toEqual({ path, status: 200, type: "image/svg+xml" });
    }
  });

  describe("every error row of the contract that can be provoked from outside", () => {
    test("400 invalid_json", async () => {
      const r = await fetch(`${shop.url}/api/orders`, { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
      await expectError(r, 400, "invalid_json");
    });

    test("400 validation_failed, with issues naming each field", async () => {
      const r = await session(shop.url).postOrder({ customer: { name: "", email: "nope" }, shippingAddress, items: [{ productId: "x", quantity: 0 }] });
      const error = await expectError(r, 400, "validation_failed");
      expect(error.issues!.map((i) => i.path).sort()).toEqual(["customer.email", "customer.name", "items.0.quantity"]);
    });

    test("400 validation_failed for a bad Idempotency-Key", async () => {
      const productId = await createProduct({ stock: 1 });
      const r = await session(shop.url).postOrder({ customer, shippingAddress, items: [{ productId, quantity: 1 }] }, { "Idempotency-Key": "k".repeat(256) });
      const error = await expectError(r, 400, "validation_failed");
      expect(error.issues![0]!.path).toBe("headers.Idempotency-Key");
    });

    test("400 unknown_product", async () => {
      const known = await createProduct({ stock: 1 });
      const r = await session(shop.url).postOrder({ customer, shippingAddress, items: [{ productId: known, quantity: 1 }, { productId: "prd_does-not-exist", quantity: 1 }] });
      const error = await expectError(r, 400, "unknown_product");
      expect(error.issues).toEqual([{ path: "items.1.productId", message: "no product has the id prd_does-not-exist" }]);
    });

    test("413 payload_too_large, by Content-Length and by a chunked body", async () => {
      const big = JSON.stringify({ customer, shippingAddress, items: [], pad: "x".repeat(70 * 1024) });
      await expectError(await fetch(`${shop.url}/api/orders`, { method: "POST", headers: { "content-type": "application/json" }, body: big }), 413, "payload_too_large");
      const chunked = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(big)); c.close(); } });
      await expectError(await fetch(`${shop.url}/api/orders`, { method: "POST", headers: { "content-type": "application/json" }, body: chunked }), 413, "payload_too_large");
    });

    test("415 unsupported_media_type", async () => {
      const r = await fetch(`${shop.url}/api/orders`, { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ customer }) });
      await expectError(r, 415, "unsupported_media_type");
    });

    test("401 unauthorized for an Authorization that is not the admin token", async () => {
      await expectError(await fetch(`${shop.url}/api/orders`, { headers: { authorization: "Bearer wrong" } }), 401, "unauthorized");
      await expectError(await fetch(`${shop.url}/api/orders`, { headers: { authorization: `Basic ${ADMIN_TOKEN}` } }), 401, "unauthorized");
    });

    test("404 not_found for an unknown path, an unknown order and a malformed order id", async () => {
      await expectError(await fetch(`${shop.url}/api/nothing-here`), 404, "not_found");
      await expectError(await fetch(`${shop.url}/api/orders/${crypto.randomUUID()}`), 404, "not_found");
      await expectError(await fetch(`${shop.url}/api/orders/12345`), 404, "not_found");
    });

    test("400 validation_failed for a limit out of range", async () => {
      await expectError(await fetch(`${shop.url}/api/orders?limit=101`), 400, "validation_failed");
      await expectError(await fetch(`${shop.url}/api/orders?limit=0`), 400, "validation_failed");
    });
  });

  test("a session sees only its own orders; the admin token sees every order", async () => {
    const productId = await createProduct({ stock: 5 });
    const alice = session(shop.url);
    const bob = session(shop.url);
    const { id } = await (await alice.postOrder({ customer, shippingAddress, items: [{ productId, quantity: 1 }] })).json();
    expect(alice.cookie).toMatch(/^sid=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{22}$/);
    await readStatusEvents(shop.url, id);

    const aliceList = await (await alice.request("/api/orders")).json();
    expect(aliceList.map((o: { id: string }) => o.id)).toContain(id);
    expect((await alice.request(`/api/orders/${id}`)).status).toBe(200);

    await bob.request("/api/products");
    expect(bob.cookie).not.toBe(alice.cookie);
    const bobList = await (await bob.request("/api/orders")).json();
    expect(bobList.map((o: { id: string }) => o.id)).not.toContain(id);
    await expectError(await bob.request(`/api/orders/${id}`), 404, "not_found");

    const adminHeaders = { authorization: `Bearer ${ADMIN_TOKEN}` };
    expect((await fetch(`${shop.url}/api/orders/${id}`, { headers: adminHeaders })).status).toBe(200);
    const all = await (await fetch(`${shop.url}/api/orders?limit=100`, { headers: adminHeaders })).json();
    expect(all.map((o: { id: string }) => o.id)).toContain(id);
  });

  test("the sid cookie is HttpOnly, SameSite=Lax, Path=/", async () => {
    const cookie = (await fetch(`${shop.url}/api/products`)).headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
  });

  test("a browser's first response, the storefront page, sets the session; later ones keep it", async () => {
    const first = await fetch(`${shop.url}/orders`);
    const cookie = first.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^sid=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{22}; .*HttpOnly/);
    expect(first.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const sid = cookie.split(";")[0]!;
    expect((await fetch(`${shop.url}/`, { headers: { cookie: sid } })).headers.get("set-cookie")).toBeNull();
    expect((await fetch(`${shop.url}/api/orders`, { headers: { cookie: sid } })).headers.get("set-cookie")).toBeNull();
  });
});
