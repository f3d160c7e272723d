import { expect, test } from "bun:test";
import { openShopper } from "./browser.ts";
import { pageHeading, storefrontSuite } from "./storefront.ts";

const suite = storefrontSuite("not-found");

test("a mistyped address shows the storefront's Page not found, answered with status 404, and leads back to the shop", async () => {
  const { page, problems, close } = await openShopper(suite.browser, suite.shop.url);
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await pageHeading(page, "Page not found");
  await page.getByRole("link", { name: "Back to the shop" }).click();
  await page.waitForURL(`${suite.shop.url}/`);
  expect(problems).toEqual([]);
  await close();
}, 60_000);
