import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { startShop, type RunningShop } from "../support/shop.ts";
import { launchBrowser, openShopper, seriousA11yFindings } from "./browser.ts";
import { addToCart, fillCheckout, ORDER_PAGE, pageHeading, testProducts } from "./storefront.ts";

let shop: RunningShop;
let browser: Browser;
const products = testProducts("pending");

// An API with no worker anywhere behind it: its topics have a prefix of their own, so its orders
// are accepted into Kafka but never reach the database, the slowest a worker can ever be.
beforeAll(async () => {
  [shop, browser] = await Promise.all([
    startShop({ ROLES: "api", KAFKA_TOPIC_PREFIX: `${process.env.KAFKA_TOPIC_PREFIX ?? ""}unworked.` }, "e2e-pending"),
    launchBrowser(),
  ]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await shop?.stop();
  await products.removeAll();
});

test("My orders lists an order placed from this browser at once, as pending, before the server has stored it", async () => {
  const tin = await products.create("Tea Tin", { stock: 5, priceCents: 1250 });
  const { page, problems, close } = await openShopper(browser, shop.url);
  await page.goto("/");
  await addToCart(page, tin.name);
  await page.getByRole("link", { name: /^Cart/ }).click();
  await page.getByRole("link", { name: "Check out" }).click();
  await fillCheckout(page);
  await page.getByRole("button", { name: /^Place order/ }).click();
  await page.waitForURL(ORDER_PAGE);
  const orderId = page.url().split("/").at(-1)!;
  // The server does not know the order: it is not among the session's orders.
  expect(await page.evaluate(async () => (await (await fetch("/api/orders")).json()).length)).toBe(0);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My orders" }).click();
  await pageHeading(page, "My orders");
  const row = page.locator(`.order-row[data-order-id="${orderId}"]`);
  await row.locator('.status-badge[data-status="pending"]').waitFor();
  await row.getByText(`1 × ${tin.name}`).waitFor();
  await row.getByText("$12.50").waitFor();
  expect(await page.locator(".order-row").count()).toBe(1);
  expect(await seriousA11yFindings(page)).toEqual([]);

  // Still there after a reload: the browser remembers it, not just this page.
  await page.reload();
  await row.locator('.status-badge[data-status="pending"]').waitFor();
  expect(problems).toEqual([]);
  await close();
}, 60_000);
