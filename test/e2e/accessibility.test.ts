import { expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { DESKTOP, openShopper, PHONE, screenshots, seriousA11yFindings } from "./browser.ts";
import { addToCart, cartCountIs, fillCheckout, ORDER_PAGE, orderStatusIs, pageHeading, storefrontSuite } from "./storefront.ts";

const suite = storefrontSuite("a11y");
const { products } = suite;

/** axe-core on the page as a phone and as a desktop shows it: nothing serious or critical. */
async function noSeriousFindings(page: Page, name: string) {
  for (const size of [PHONE, DESKTOP]) {
    await page.setViewportSize(size);
    expect({ page: name, width: size.width, findings: await seriousA11yFindings(page) }).toEqual({ page: name, width: size.width, findings: [] });
  }
}

test("axe-core finds nothing serious or critical on any page, empty or full", async () => {
  const beans = await products.create("Guatemala Antigua", { stock: 4, priceCents: 1900 });
  const { page, problems, close } = await openShopper(suite.browser, suite.shop.url);

  await page.goto("/");
  await pageHeading(page, "Coffee, tea & brewing gear");
  await noSeriousFindings(page, "catalog");

  await page.goto("/cart");
  await page.getByText("Your cart is empty.").waitFor();
  await noSeriousFindings(page, "empty cart");
  await screenshots(page, "a11y-empty-cart");

  await page.goto("/checkout");
  await page.getByText("your cart is empty").waitFor();
  await noSeriousFindings(page, "empty checkout");

  await page.goto("/orders");
  await page.getByText("No orders yet.").waitFor();
  await noSeriousFindings(page, "no orders");
  await screenshots(page, "a11y-no-orders");

  await page.goto("/");
  await addToCart(page, beans.name);
  await cartCountIs(page, 1);
  await page.goto("/cart");
  await page.getByLabel(`Quantity of ${beans.name}`).waitFor();
  await noSeriousFindings(page, "cart");

  await page.goto("/checkout");
  await page.getByRole("button", { name: /^Place order/ }).click();
  await page.getByText("Please enter your name.").waitFor();
  await noSeriousFindings(page, "checkout with errors");

  await fillCheckout(page);
  await page.getByRole("button", { name: /^Place order/ }).click();
  await page.waitForURL(ORDER_PAGE);
  await orderStatusIs(page, "confirmed");
  await noSeriousFindings(page, "order");

  await page.goto("/orders");
  await page.locator(".order-row").first().waitFor();
  await noSeriousFindings(page, "my orders");

  await page.goto("/orders/not-an-order-number");
  await pageHeading(page, "Order not found");
  await noSeriousFindings(page, "unknown order");
  await screenshots(page, "a11y-unknown-order");

  expect(problems).toEqual([]);
  await close();
}, 90_000);
