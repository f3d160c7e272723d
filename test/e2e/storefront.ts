import { afterAll, beforeAll } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { createProduct, sql } from "../support/db.ts";
import { startShop, type RunningShop } from "../support/shop.ts";
import { launchBrowser } from "./browser.ts";

export type Suite = { shop: RunningShop; browser: Browser; products: ReturnType<typeof testProducts> };

/**
 * What every browser test file needs: its own compiled shop, a Chromium, and products of its own,
 * all started before its tests and gone after them. `shop` may be replaced by a test that restarts it.
 */
export function storefrontSuite(file: string, env: Record<string, string> = {}): Suite {
  const suite = { products: testProducts(file) } as Suite;
  beforeAll(async () => {
    [suite.shop, suite.browser] = await Promise.all([startShop(env, `e2e-${file}`), launchBrowser()]);
  }, 120_000);
  afterAll(async () => {
    await suite.browser?.close();
    await suite.shop?.stop();
    await suite.products.removeAll();
  });
  return suite;
}

/** Products made by one test file, under names no other test uses, and removed when it ends. */
export function testProducts(file: string) {
  const made: string[] = [];
  const tag = crypto.randomUUID().slice(0, 6);
  return {
    async create(label: string, { stock, priceCents = 1000 }: { stock: number; priceCents?: number }) {
      const name = `${label} ${file}-${tag}`;
      made.push(await createProduct({ stock, priceCents, name }));
      return { id: made.at(-1)!, name };
    },
    // Orders keep their own copy of names and prices, so removing the products loses nothing.
    removeAll: () => sql.begin(async (tx) => {
      await tx`DELETE FROM stock_movements WHERE product_id = ANY(${made})`;
      await tx`DELETE FROM refused_adjustments WHERE product_id = ANY(${made})`;
      await tx`DELETE FROM products WHERE id = ANY(${made})`;
    }),
  };
}

export const productCard = (page: Page, name: string) =>
  page.locator("article.card", { has: page.getByRole("heading", { name, exact: true }) });

export async function addToCart(page: Page, name: string) {
  await productCard(page, name).getByRole("button", { name: `Add ${name} to cart` }).click();
}

export const pageHeading = (page: Page, name: string | RegExp) => page.getByRole("heading", { level: 1, name }).waitFor();

export const cartCountIs = (page: Page, count: number) =>
  page.getByTestId("cart-count").filter({ hasText: new RegExp(`^${count}$`) }).waitFor();

/** The order page's current status, once it shows `status`. */
export const orderStatusIs = (page: Page, status: string, timeout = 30_000) =>
  page.locator(`.status-now[data-status="${status}"]`).waitFor({ timeout });

export const ORDER_PAGE = /\/orders\/[0-9a-f-]{36}$/;

/** Checkout's contact and shipping address, the parcel going to the shopper. */
export async function fillCheckout(page: Page, name = "Ada Lovelace", email = "ada@example.com") {
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Email").fill(email);
  await fillAddress(page);
}

export async function fillAddress(page: Page, { line1 = "12 St James's Square", city = "London", postalCode = "SW1Y 4JH", country = "United Kingdom" } = {}) {
  await page.getByLabel("Street address").fill(line1);
  await page.getByLabel("City").fill(city);
  await page.getByLabel("Postal code").fill(postalCode);
  await page.getByLabel("Country").selectOption({ label: country });
}
