import { expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { openShopper, PHONE, screenshots } from "./browser.ts";
import { cartCountIs, fillCheckout, ORDER_PAGE, orderStatusIs, pageHeading, productCard, storefrontSuite } from "./storefront.ts";

const suite = storefrontSuite("phone");
const { products } = suite;

/** Nothing sticks out sideways: no page on a phone should scroll horizontally. */
async function fitsTheScreen(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

test("on a 390 px phone every page fits the screen and the whole purchase works by touch", async () => {
  const mug = await products.create("Enamel Camp Mug", { stock: 8, priceCents: 1800 });
  const { page, problems, close } = await openShopper(suite.browser, suite.shop.url, { viewport: PHONE, isMobile: true, hasTouch: true });
  await page.goto("/");
  await pageHeading(page, "Coffee, tea & brewing gear");
  await fitsTheScreen(page);
  for (const link of await page.getByRole("navigation", { name: "Main" }).getByRole("link").all()) {
    const box = (await link.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
  }

  const card = productCard(page, mug.name);
  await card.getByRole("button", { name: `Add ${mug.name} to cart` }).tap();
  await cartCountIs(page, 1);
  await screenshots(page, "phone-catalog", card);

  await page.getByRole("link", { name: /^Cart/ }).tap();
  await pageHeading(page, "Your cart");
  await page.getByRole("button", { name: `One more ${mug.name}` }).tap();
  await cartCountIs(page, 2);
  await page.getByTestId("subtotal").filter({ hasText: "$36.00" }).waitFor();
  await fitsTheScreen(page);
  await screenshots(page, "phone-cart");

  await page.getByRole("link", { name: "Check out" }).tap();
  await pageHeading(page, "Checkout");
  await fitsTheScreen(page);
  await fillCheckout(page, "Margaret Hamilton", "margaret@example.com");
  await page.getByRole("button", { name: /^Place order/ }).tap();
  await page.waitForURL(ORDER_PAGE);
  await orderStatusIs(page, "confirmed");
  await fitsTheScreen(page);
  await screenshots(page, "phone-order");

  await page.getByRole("link", { name: "All my orders" }).tap();
  await pageHeading(page, "My orders");
  await page.locator(".order-row").first().waitFor();
  await fitsTheScreen(page);
  await screenshots(page, "phone-my-orders");

  expect(problems).toEqual([]);
  await close();
}, 60_000);
