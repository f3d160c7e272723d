import { expect, test } from "bun:test";
import { sql } from "../support/db.ts";
import { openShopper, screenshots } from "./browser.ts";
import { addToCart, fillCheckout, ORDER_PAGE, orderStatusIs, pageHeading, storefrontSuite } from "./storefront.ts";

const suite = storefrontSuite("rejected");
const { products } = suite;

test("an order refused for lack of stock says why, on its page and under My orders", async () => {
  const lastOne = await products.create("Jamaica Blue Mountain", { stock: 1, priceCents: 5400 });
  const { page, problems, close } = await openShopper(suite.browser, suite.shop.url);
  await page.goto("/");
  await addToCart(page, lastOne.name);
  await page.getByRole("link", { name: /^Cart/ }).click();
  await page.getByRole("link", { name: "Check out" }).click();
  await pageHeading(page, "Checkout");
  await fillCheckout(page, "Grace Hopper", "grace@example.com");

  // Someone else takes the last bag while this shopper types.
  await sql`UPDATE products SET stock = 0 WHERE id = ${lastOne.id}`;
  await page.getByRole("button", { name: /^Place order/ }).click();

  await page.waitForURL(ORDER_PAGE);
  await orderStatusIs(page, "rejected");
  // The page's status, not its live region: a rejection stored before the page's stream opened is
  // the status the page opens with, which is shown but not announced as news.
  await page.locator(".status-now .status-sentence").getByText("one of your items sold out before we could set it aside").waitFor();
  await page.locator(".timeline .step-rejected").getByText("Not placed").waitFor();
  expect(await page.locator(".timeline .step-placed").count()).toBe(0);
  await screenshots(page, "rejected-order");

  await page.getByRole("link", { name: "All my orders" }).click();
  await pageHeading(page, "My orders");
  await page.locator('.order-row .status-badge[data-status="rejected"]').waitFor();
  await screenshots(page, "rejected-my-orders");

  expect(problems).toEqual([]);
  await close();
}, 60_000);
