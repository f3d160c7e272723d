import { expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { ledgerOf, stockOf } from "../support/db.ts";
import { announcements, openShopper, recordAnnouncements, screenshots, seriousA11yFindings } from "./browser.ts";
import { addToCart, cartCountIs, fillCheckout, ORDER_PAGE, orderStatusIs, pageHeading, storefrontSuite } from "./storefront.ts";

const suite = storefrontSuite("lifecycle");
const { products } = suite;

/** A customer of their own, with an email no other test uses, who orders one `product` and waits for its confirmation. */
async function orderOne(page: Page, product: { name: string }, who: string) {
  const email = `${who.toLowerCase().replace(/\W+/g, ".")}.${crypto.randomUUID().slice(0, 8)}@example.com`;
  await page.goto("/");
  await addToCart(page, product.name);
  await cartCountIs(page, 1);
  await page.goto("/checkout");
  await pageHeading(page, "Checkout");
  await fillCheckout(page, who, email);
  await page.getByRole("button", { name: /^Place order/ }).click();
  await page.waitForURL(ORDER_PAGE);
  await orderStatusIs(page, "confirmed");
  return { email, orderId: page.url().split("/").at(-1)! };
}

const step = (page: Page, status: string) => page.locator(`.timeline li[data-step="${status}"]`);

test("a customer cancels from the order page after confirming it; the status says so, once, and the stock comes back", async () => {
  const tea = await products.create("Jasmine Pearls", { stock: 6 });
  const { page, problems, close } = await openShopper(suite.browser, suite.shop.url);
  await recordAnnouncements(page);
  await orderOne(page, tea, "Ada Lovelace");
  expect(await stockOf(tea.id)).toBe(5);

  await page.locator(".shipping-to address").getByText("12 St James's Square").waitFor();
  // Every step shows its time, the first one too.
  for (const status of ["pending", "placed", "confirmed"]) await step(page, status).locator("time").waitFor();

  const cancel = page.getByRole("button", { name: "Cancel order" });
  await cancel.click();
  await page.getByRole("heading", { name: "Cancel this order?" }).waitFor();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("cancel-question");
  expect(await seriousA11yFindings(page)).toEqual([]);
  await screenshots(page, "order-cancel-confirm", page.locator(".cancel-confirm"));

  // Second thoughts: nothing is sent, and the focus is back where it was.
  await page.getByRole("button", { name: "Keep my order" }).click();
  await page.getByRole("heading", { name: "Cancel this order?" }).waitFor({ state: "detached" });
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Cancel order");
  await orderStatusIs(page, "confirmed");

  await cancel.click();
  await page.getByLabel("Why are you cancelling? (optional)").fill("Ordered the wrong tea");
  await page.getByRole("button", { name: "Yes, cancel the order" }).click();
  await orderStatusIs(page, "cancelled");
  await step(page, "cancelled").getByText("By you: “Ordered the wrong tea”").waitFor();
  await step(page, "cancelled").locator("time").waitFor();
  expect(await cancel.count()).toBe(0);
  expect(await stockOf(tea.id)).toBe(6);
  expect(await ledgerOf(tea.id)).toBe(6);

  const said = (await announcements(page)).filter(({ text }) => text.includes("Cancelled"));
  expect(said).toEqual([{ region: "announcer", text: expect.stringContaining("Cancelled.") }]);
  expect(await seriousA11yFindings(page)).toEqual([]);
  await screenshots(page, "order-cancelled");

  await page.getByRole("link", { name: "All my orders" }).click();
  await pageHeading(page, "My orders");
  await page.locator('.status-badge[data-status="cancelled"]').getByText("Cancelled").waitFor();

  expect(problems).toEqual([]);
  await close();
}, 60_000);
