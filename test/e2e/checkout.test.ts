import { expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { sql } from "../support/db.ts";
import { focusIsVisible, focusMoves, openShopper, screenshots, tabTo } from "./browser.ts";
import { cartCountIs, fillAddress, ORDER_PAGE, orderStatusIs, pageHeading, storefrontSuite } from "./storefront.ts";

const suite = storefrontSuite("checkout");
const { products } = suite;

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id);

test("checkout with the keyboard alone, focus always visible, mistakes explained next to their fields", async () => {
  const tea = await products.create("Oolong Tieguanyin", { stock: 10, priceCents: 2100 });
  const { page, problems, close } = await openShopper(suite.browser, suite.shop.url);
  await page.goto("/");
  await pageHeading(page, "Coffee, tea & brewing gear");

  await tabTo(page, "a.skip-link");
  expect(await focusIsVisible(page)).toBe(true);
  await tabTo(page, `[data-product-id="${tea.id}"] button`);
  expect(await focusIsVisible(page)).toBe(true);
  await page.keyboard.press("Enter");
  await cartCountIs(page, 1);

  // Back up to the header: forward, Tab would first cross every card, category and footer link.
  await tabTo(page, "a.cart-link", { back: true });
  expect(await focusIsVisible(page)).toBe(true);
  await page.keyboard.press("Enter");
  await pageHeading(page, "Your cart");
  // The new page's heading takes the focus, so Tab goes on from the top of the page.
  await focusMoves(page, "h1");
  await tabTo(page, 'a[href="/checkout"]');
  await page.keyboard.press("Enter");
  await pageHeading(page, "Checkout");

  await tabTo(page, "#name");
  expect(await focusIsVisible(page)).toBe(true);
  // Sending the empty form: each field says what is missing, and the focus goes to the first one.
  await page.keyboard.press("Enter");
  await page.getByText("Please enter your name.").waitFor();
  await page.getByText("Please enter your email address.").waitFor();
  await page.getByText("Please enter the street address.").waitFor();
  await page.getByText("Please enter the postal code.").waitFor();
  expect(await focusedId(page)).toBe("name");
  expect(await page.getByLabel("Name", { exact: true }).getAttribute("aria-invalid")).toBe("true");
  expect(await page.getByLabel("City").getAttribute("aria-invalid")).toBe("true");
  await screenshots(page, "keyboard-checkout-errors");

  await page.keyboard.type("Katherine Johnson");
  await page.getByText("Please enter your name.").waitFor({ state: "detached" });
  await page.keyboard.press("Tab");
  expect(await focusedId(page)).toBe("email");
  await page.keyboard.type("katherine.nasa.gov");
  await page.keyboard.press("Enter");
  await page.getByText("Please enter an email address like ada@example.com.").waitFor();
  expect(await focusedId(page)).toBe("email");
  for (let i = 0; i < "nasa.gov".length + 1; i++) await page.keyboard.press("Backspace");
  await page.keyboard.type("@nasa.gov");
  await page.getByText("Please enter an email address like ada@example.com.").waitFor({ state: "detached" });

  // The parcel is for the shopper unless they say otherwise: the recipient follows the name.
  await page.keyboard.press("Tab");
  expect(await focusedId(page)).toBe("ship-name");
  expect(await page.getByLabel("Recipient").inputValue()).toBe("Katherine Johnson");
  await page.keyboard.press("Tab");
  await page.keyboard.type("1 NASA Drive");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await page.keyboard.type("Hampton");
  await page.getByText("Please enter the city.").waitFor({ state: "detached" });
  await page.keyboard.press("Tab");
  await page.keyboard.type("23681");
  await page.keyboard.press("Tab");
  expect(await focusedId(page)).toBe("ship-country");
  await page.keyboard.type("Canada");
  expect(await page.getByLabel("Country").inputValue()).toBe("CA");

  await tabTo(page, 'button[type="submit"]');
  expect(await focusIsVisible(page)).toBe(true);
  await page.keyboard.press("Enter");
  await page.waitForURL(ORDER_PAGE);
  await orderStatusIs(page, "confirmed");
  await screenshots(page, "keyboard-order");

  expect(problems).toEqual([]);
  await close();
}, 60_000);

test("an address the browser takes, the API takes; what only the API can know appears next to the line it is about", async () => {
  const coffee = await products.create("Sumatra Mandheling", { stock: 10, priceCents: 1700 });
  const { page, problems, close } = await openShopper(suite.browser, suite.shop.url);
  await page.goto("/");
  await tabTo(page, `[data-product-id="${coffee.id}"] button`);
  await page.keyboard.press("Enter");
  await cartCountIs(page, 1);
  await page.goto("/checkout");
  await pageHeading(page, "Checkout");

  // WHATWG's rule, as <input type=email> applies it: an apostrophe and a domain without a dot are fine.
  await page.getByLabel("Name", { exact: true }).fill("Alan Turing");
  await page.getByLabel("Email").fill("alan.o'neil@bletchley");
  await fillAddress(page, { line1: "Bletchley Park, Sherwood Drive", city: "Milton Keynes", postalCode: "MK3 6EB" });
  // Taken off sale while the shopper fills the form: only the API can know.
  await sql`UPDATE products SET archived = true WHERE id = ${coffee.id}`;
  await page.getByLabel("Email").press("Enter");
  await page.getByText("We no longer sell this. Please remove it from your cart.").waitFor();
  expect(await page.locator("#email-error").count()).toBe(0);
  await screenshots(page, "keyboard-api-issues");

  await sql`UPDATE products SET archived = false WHERE id = ${coffee.id}`;
  await page.getByLabel("Email").press("Enter");
  await page.waitForURL(ORDER_PAGE);
  await orderStatusIs(page, "confirmed");

  expect(problems).toEqual([]);
  await close();
}, 60_000);
