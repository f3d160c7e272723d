import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { insertOrders } from "../../src/db/orders.ts";
import { ownerOf } from "../../src/orders/ids.ts";
import { createProduct, sql } from "../support/db.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

let shop: RunningShop;
const tag = crypto.randomUUID().slice(0, 8);
const orderId = crypto.randomUUID();
const item = `Gooseneck Kettle ${tag}`;
let productId: string;
let ownerCookie: string;

/** A session of the shop's own making: the cookie its first page sets. */
async function newSession(): Promise<string> {
  const cookie = (await fetch(`${shop.url}/cart`)).headers.get("set-cookie")?.split(";")[0];
  expect(cookie).toStartWith("sid=");
  return cookie!;
}

beforeAll(async () => {
  [shop, productId] = await Promise.all([startShop({ ROLES: "api" }, "order-pages"), createProduct({ stock: 5, priceCents: 6450, name: item })]);
  ownerCookie = await newSession();
  // Stored as the worker stores a placed order: what the page reads is the database's.
  await sql.begin((tx) => insertOrders(tx, [{
    orderId, status: "placed", items: [{ productId, name: item, quantity: 2, unitPriceCents: 6450 }], totalCents: 12900, currency: "USD",
    customer: { name: `Ada ${tag}`, email: "ada@example.com" }, owner: ownerOf(ownerCookie.slice("sid=".length)), acceptedAt: new Date(),
  }], new Date()));
}, 120_000);

afterAll(async () => {
  await shop?.stop();
  await sql.begin(async (tx) => {
    await tx`DELETE FROM order_items WHERE order_id = ${orderId}`;
    await tx`DELETE FROM orders WHERE id = ${orderId}`;
    await tx`DELETE FROM products WHERE id = ${productId}`;
  });
});

describe("an order's page in the compiled binary", () => {
  test("the session that placed the order gets it rendered: status and items in the HTML, the built app to hydrate it, no inline script", async () => {
    const response = await fetch(`${shop.url}/orders/${orderId}`, { headers: { cookie: ownerCookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-cache");
    expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).toContain('<p class="status-label">Stock reserved</p>');
    expect(html).toContain(`<td>${item}</td>`);
    expect(html).toContain('<td data-testid="order-total">$129.00</td>');
    expect(html).toContain(`For Ada ${tag} · ada@example.com`);
    expect(html).toMatch(/<script type="module" crossorigin src="\/chunk-[a-z0-9]+\.js"><\/script>/);
    // The module and the page's data (type application/json): nothing inline runs.
    expect(html.match(/<script\b/g)).toHaveLength(2);
    expect(html).toContain('<script type="application/json" id="preloaded">');
  });

  test("another session gets the page the browser renders, byte for byte, with nothing of the order", async () => {
    const stranger = await newSession();
    const response = await fetch(`${shop.url}/orders/${orderId}`, { headers: { cookie: stranger } });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-cache");
    const html = await response.text();
    for (const secret of [item, tag, "Stock reserved", "preloaded", "$129.00"]) expect(html).not.toContain(secret);
    expect(html).toBe(await (await fetch(`${shop.url}/cart`, { headers: { cookie: stranger } })).text());
  });
});
