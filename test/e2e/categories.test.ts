import { expect, test } from "bun:test";
import { createProduct, sql, TEST_CATEGORY_SLUG } from "../support/db.ts";
import { openShopper, screenshots, seriousA11yFindings } from "./browser.ts";
import { pageHeading, productCard, storefrontSuite } from "./storefront.ts";

const suite = storefrontSuite("categories", { ROLES: "api" });

/** A category of this run's, made as a seed makes them, with products of its own. */
async function category(name: string, products: string[]) {
  const tag = crypto.randomUUID().slice(0, 8);
  const made = { id: `cat_e2e-${tag}`, slug: `${TEST_CATEGORY_SLUG}${tag}`, name: `${name} ${tag}` };
  await sql`INSERT INTO categories (id, slug, name) VALUES (${made.id}, ${made.slug}, ${made.name})`;
  const names = products.map((product) => `${product} ${tag}`);
  for (const product of names) await createProduct({ stock: 3, name: product, categoryId: made.id });
  return { ...made, products: names };
}

test("a shopper picks a category in the navigation: its page, /categories/<slug>, under its name, shows its products only", async () => {
  const oolong = await category("Oolong", ["Tieguanyin", "Da Hong Pao"]);
  const kettles = await category("Kettles", ["Gooseneck Kettle"]);
  const { page, problems, close } = await openShopper(suite.browser, suite.shop.url);
  await page.goto("/");
  await pageHeading(page, "Coffee, tea & brewing gear");

  const nav = page.getByRole("navigation", { name: "Categories" });
  await nav.getByRole("link", { name: oolong.name }).click();
  await page.waitForURL((url) => url.pathname === `/categories/${oolong.slug}`);
  await pageHeading(page, oolong.name);
  const grid = page.getByRole("list", { name: `Products in ${oolong.name}` });
  await grid.and(page.locator('[aria-busy="false"]')).waitFor();
  expect((await grid.locator("article.card h2").allTextContents()).sort()).toEqual([...oolong.products].sort());
  expect(await nav.getByRole("link", { name: oolong.name }).getAttribute("aria-current")).toBe("page");
  expect(await seriousA11yFindings(page)).toEqual([]);
  await screenshots(page, "category-page");

  // Another category from there; then its address opened afresh, and one no category has.
  await nav.getByRole("link", { name: kettles.name }).click();
  await page.waitForURL((url) => url.pathname === `/categories/${kettles.slug}`);
  await pageHeading(page, kettles.name);
  await productCard(page, kettles.products[0]!).waitFor();
  expect(await page.locator("article.card").count()).toBe(1);
  await page.goto(`/categories/${oolong.slug}`);
  await pageHeading(page, oolong.name);
  await productCard(page, oolong.products[0]!).waitFor();
  await page.goto(`/categories/${TEST_CATEGORY_SLUG}none`);
  await pageHeading(page, "Page not found");

  expect(problems).toEqual([]);
  await close();
}, 60_000);
