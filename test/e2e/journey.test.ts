import { expect, test } from "bun:test";
import { stockOf } from "../support/db.ts";
import { openShopper, screenshots } from "./browser.ts";
import { addToCart, cartCountIs, fillCheckout, ORDER_PAGE, orderStatusIs, pageHeading, storefrontSuite } from "./storefront.ts";

const suite = storefrontSuite("journey");
const { products } = suite;

test("browse, fill the cart, reload, check out, watch the order confirm, find it under My orders", async () => {
  const kenya = await products.create("Kenya Nyeri AA", { stock: 20, priceCents: 1250 });
  const darjeeling = await products.create("Darjeeling First Flush", { stock: 20, priceCents: 900 });
  const { page, problems, close } = await openShopper(suite.browser, suite.shop.url);
  const orderPosts: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && request.url().endsWith("/api/orders")) orderPosts.push(request.headers()["idempotency-key"] ?? "none");
  });

  await page.goto("/");
  await pageHeading(page, "Coffee, tea & brewing gear");
  await addToCart(page, kenya.name);
  await addToCart(page, darjeeling.name);
  await cartCountIs(page, 2);
  await screenshots(page, "journey-1-catalog");

  await page.getByRole("link", { name: /^Cart/ }).click();
  await pageHeading(page, "Your cart");
  expect(new URL(page.url()).pathname).toBe("/cart");
  // Back and forward move between the app's pages like any site's.
  await page.goBack();
  await pageHeading(page, "Coffee, tea & brewing gear");
  await page.goForward();
  await pageHeading(page, "Your cart");

  // In the cart as it is typed, before the field is left: a render meanwhile (a stock update) must not undo it.
  await page.getByLabel(`Quantity of ${kenya.name}`).fill("3");
  await cartCountIs(page, 4);
  await page.getByLabel(`Quantity of ${kenya.name}`).press("Tab");
  await page.getByTestId("subtotal").filter({ hasText: "$46.50" }).waitFor();

  await page.reload();
  await pageHeading(page, "Your cart");
  await cartCountIs(page, 4);
  expect(await page.getByLabel(`Quantity of ${kenya.name}`).inputValue()).toBe("3");
  expect(await page.getByLabel(`Quantity of ${darjeeling.name}`).inputValue()).toBe("1");
  await page.getByTestId("subtotal").filter({ hasText: "$46.50" }).waitFor();
  await screenshots(page, "journey-2-cart");

  await page.getByRole("link", { name: "Check out" }).click();
  await pageHeading(page, "Checkout");
  await fillCheckout(page);
  await screenshots(page, "journey-3-checkout");
  // An impatient double click: one order all the same.
  await page.getByRole("button", { name: "Place order · $46.50" }).dblclick();

  await page.waitForURL(ORDER_PAGE);
  expect(orderPosts).toHaveLength(1);
  const orderId = new URL(page.url()).pathname.split("/").at(-1)!;
  await orderStatusIs(page, "confirmed");
  await page.getByTestId("order-total").filter({ hasText: "$46.50" }).waitFor();
  const items = page.locator(".order-items tbody tr");
  expect(await items.count()).toBe(2);
  // Confirmed is where the order stands until it ships: received and reserved are behind it.
  expect(await page.locator(".timeline .step-done").count()).toBe(2);
  expect(await page.locator(".timeline .step-current").getAttribute("data-step")).toBe("confirmed");
  await cartCountIs(page, 0);
  expect(await stockOf(kenya.id)).toBe(17);
  expect(await stockOf(darjeeling.id)).toBe(19);
  await screenshots(page, "journey-4-order");

  // The order's page is a real address: it survives a reload. Its owner's page may be indexed;
  // to another browser it is an order it cannot read, kept out of search engines.
  await page.reload();
  await orderStatusIs(page, "confirmed");
  await page.getByTestId("order-total").waitFor();
  expect(await page.locator('meta[name="robots"]').count()).toBe(0);
  const stranger = await openShopper(suite.browser, suite.shop.url);
  await stranger.page.goto(`/orders/${orderId}`);
  await stranger.page.getByText("The items of this order are shown only in the browser that placed it.").waitFor();
  expect(await stranger.page.locator('meta[name="robots"]').getAttribute("content")).toBe("noindex");
  await stranger.close();

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My orders" }).click();
  await pageHeading(page, "My orders");
  const rows = page.locator(".order-row");
  await rows.first().waitFor();
  expect(await rows.count()).toBe(1);
  expect(await rows.first().getAttribute("data-order-id")).toBe(orderId);
  await rows.first().locator('.status-badge[data-status="confirmed"]').waitFor();
  await screenshots(page, "journey-5-my-orders");

  expect(problems).toEqual([]);
  await close();
}, 90_000);
