import { expect, test } from "bun:test";
import { startShop } from "../support/shop.ts";
import { openShopper, screenshots } from "./browser.ts";
import { addToCart, cartCountIs, fillCheckout, ORDER_PAGE, orderStatusIs, pageHeading, storefrontSuite } from "./storefront.ts";

const suite = storefrontSuite("outage");
const { products } = suite;

/** The shop goes away (SIGTERM, as in a deploy) with the browser still on its page; `back` starts it again at the same address. */
async function takeShopDown() {
  const { port } = suite.shop;
  await suite.shop.stop();
  return { back: async () => { suite.shop = await startShop({ PORT: String(port) }, "e2e-outage"); } };
}

test("a page that cannot reach the API says so, and recovers on Try again once the API is back", async () => {
  const { page, problems, close } = await openShopper(suite.browser, suite.shop.url);
  await page.goto("/");
  await pageHeading(page, "Coffee, tea & brewing gear");

  const outage = await takeShopDown();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My orders" }).click();
  const alert = page.getByRole("alert");
  await alert.getByRole("heading", { name: "We can't reach the shop right now" }).waitFor();
  await screenshots(page, "outage-my-orders-down");

  await outage.back();
  await alert.getByRole("button", { name: "Try again" }).click();
  await page.getByText("No orders yet.").waitFor();
  expect(await alert.count()).toBe(0);
  await screenshots(page, "outage-my-orders-back");

  expect(problems).toEqual([]);
  await close();
}, 120_000);

test("an order sent while the API is down fails loudly; Try again places it, once", async () => {
  const kettle = await products.create("Stovetop Kettle", { stock: 5, priceCents: 4800 });
  const { page, problems, close } = await openShopper(suite.browser, suite.shop.url);
  await page.goto("/");
  await addToCart(page, kettle.name);
  await cartCountIs(page, 1);
  await page.getByRole("link", { name: /^Cart/ }).click();
  await page.getByRole("link", { name: "Check out" }).click();
  await pageHeading(page, "Checkout");
  await fillCheckout(page, "Hedy Lamarr", "hedy@example.com");

  const outage = await takeShopDown();
  await page.getByRole("button", { name: /^Place order/ }).click();
  const alert = page.getByRole("alert");
  await alert.getByText("Trying again is safe: it will never place your order twice.").waitFor();
  expect(new URL(page.url()).pathname).toBe("/checkout");
  await cartCountIs(page, 1);
  await screenshots(page, "outage-checkout-down");

  await outage.back();
  await alert.getByRole("button", { name: "Try again" }).click();
  await page.waitForURL(ORDER_PAGE);
  await orderStatusIs(page, "confirmed");
  await cartCountIs(page, 0);

  await page.getByRole("link", { name: "All my orders" }).click();
  await page.locator(".order-row").first().waitFor();
  expect(await page.locator(".order-row").count()).toBe(1);

  expect(problems).toEqual([]);
  await close();
}, 120_000);

test("an order the API refuses with 503 (Kafka unavailable) is reported as not placed; Try again resends the same attempt", async () => {
  const grinder = await products.create("Hand Grinder", { stock: 5, priceCents: 6500 });
  const { page, problems, close } = await openShopper(suite.browser, suite.shop.url);
  const keys: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && request.url().endsWith("/api/orders")) keys.push(request.headers()["idempotency-key"] ?? "none");
  });
  await page.goto("/");
  await addToCart(page, grinder.name);
  await page.goto("/checkout");
  await fillCheckout(page, "Ada Lovelace", "ada@example.com");

  // What the API answers when Kafka does not acknowledge the command (see the contract).
  await page.route("**/api/orders", (route) => route.fulfill({
    status: 503,
    headers: { "Retry-After": "2" },
    contentType: "application/json",
    body: JSON.stringify({ error: { code: "unavailable", message: "the order queue is unavailable, try again shortly" } }),
  }));
  await page.getByRole("button", { name: /^Place order/ }).click();
  const alert = page.getByRole("alert");
  await alert.getByRole("heading", { name: "The shop is catching its breath" }).waitFor();
  await alert.getByText("Your order was not placed").waitFor();
  await screenshots(page, "outage-checkout-503");

  await page.unroute("**/api/orders");
  await alert.getByRole("button", { name: "Try again" }).click();
  await page.waitForURL(ORDER_PAGE);
  await orderStatusIs(page, "confirmed");
  expect(keys.length).toBe(2);
  expect(new Set(keys).size).toBe(1);
  expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

  expect(problems).toEqual([]);
  await close();
}, 60_000);
