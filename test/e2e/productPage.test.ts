import { expect, test } from "bun:test";
import { sql, TEST_CATEGORY_SLUG } from "../support/db.ts";
import { hydration, openShopper, seriousA11yFindings, WATCH_HYDRATION } from "./browser.ts";
import { cartCountIs, pageHeading, storefrontSuite } from "./storefront.ts";

const suite = storefrontSuite("product-page");

test("search results and a product page come rendered from the server, hydrate without a mismatch or a console message with a cart the server never saw, and adds to the cart", async () => {
  const product = await suite.products.create("Kettle & Co", { stock: 5, priceCents: 6450 });
  const [{ slug }] = await sql<[{ slug: string }]>`SELECT slug FROM products WHERE id = ${product.id}`;
  // On a shelf of its own, which the page links to.
  const shelf = `${TEST_CATEGORY_SLUG}kettles-${slug.slice(-6)}`;
  await sql`INSERT INTO categories (id, slug, name, product_count) VALUES (${`cat_${shelf}`}, ${shelf}, 'Kettles', 1)`;
  await sql`UPDATE products SET category_id = ${`cat_${shelf}`} WHERE id = ${product.id}`;
  const { page, problems, close } = await openShopper(suite.browser, suite.shop.url);
  const messages: string[] = [];
  page.on("console", (message) => { if (message.type() === "error" || message.type() === "warning") messages.push(message.text()); });
  await page.addInitScript(WATCH_HYDRATION);

  // Found by a search the server renders, put in the cart from its card, and followed to its page,
  // whose server knows nothing of the cart: the page hydrates as the server rendered it, then shows it.
  const tag = product.name.split(" ").at(-1)!;
  // Once hydrated, the cards on screen follow their stock: the stream asked for says so.
  const following = page.waitForRequest((request) => request.url().includes("/api/products/events"));
  await page.goto(`/?q=${encodeURIComponent(tag)}`);
  await following;
  expect(await hydration(page)).toEqual({ removed: 0, sameHeading: true, sameButton: true });
  await page.getByRole("button", { name: `Add ${product.name} to cart` }).click();
  await cartCountIs(page, 1);
  await page.getByRole("link", { name: product.name }).click();
  await page.waitForURL(`${suite.shop.url}/products/${slug}`);
  await pageHeading(page, product.name);
  expect(await page.title()).toBe(`${product.name} — Ember & Leaf`);
  await page.getByRole("link", { name: "1 in your cart" }).waitFor();
  await cartCountIs(page, 1);
  expect(await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Kettles" }).getAttribute("href")).toBe(`/categories/${shelf}`);
  // Hydrating leaves attributes as the server sent them: only a render after it says "1 item".
  await page.getByRole("link", { name: "Cart, 1 item" }).waitFor();
  expect(await hydration(page)).toEqual({ removed: 0, sameHeading: true, sameButton: true });
  expect(await seriousA11yFindings(page)).toEqual([]);

  await page.getByRole("button", { name: `Add ${product.name} to cart` }).click();
  await cartCountIs(page, 2);
  await page.getByRole("link", { name: "2 in your cart" }).waitFor();

  await page.getByRole("link", { name: /^Cart, / }).click();
  await pageHeading(page, "Your cart");
  await page.getByText(product.name).first().waitFor();
  // Back to the product page, in the app: its product is kept in history.
  await page.goBack();
  await pageHeading(page, product.name);
  await page.getByRole("link", { name: "2 in your cart" }).waitFor();

  expect(messages).toEqual([]);
  expect(problems).toEqual([]);
  await close();
}, 60_000);

test("an unknown product is the styled Page not found with status 404", async () => {
  const { page, problems, close } = await openShopper(suite.browser, suite.shop.url);
  const response = await page.goto("/products/no-such-product-anywhere");
  expect(response?.status()).toBe(404);
  await pageHeading(page, "Page not found");
  expect(problems).toEqual([]);
  await close();
}, 60_000);
