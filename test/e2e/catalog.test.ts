import { expect, test } from "bun:test";
import { openShopper, screenshots } from "./browser.ts";
import { addToCart, cartCountIs, pageHeading, productCard, storefrontSuite } from "./storefront.ts";

const suite = storefrontSuite("catalog", { ROLES: "api" });
const { products } = suite;

test("a sold-out product cannot be added; a scarce one says how many are left, and no more can be added", async () => {
  const soldOut = await products.create("Yemen Mocha", { stock: 0 });
  const scarce = await products.create("Aged Pu-erh", { stock: 3 });
  const { page, problems, close } = await openShopper(suite.browser, suite.shop.url);
  await page.goto("/");
  await pageHeading(page, "Coffee, tea & brewing gear");

  const soldOutCard = productCard(page, soldOut.name);
  await soldOutCard.getByText("Sold out", { exact: true }).first().waitFor();
  const soldOutButton = soldOutCard.getByRole("button");
  expect(await soldOutButton.isDisabled()).toBe(true);
  await soldOutButton.click({ force: true });
  expect(await page.evaluate(() => localStorage.getItem("shop.cart"))).toBeNull();
  await cartCountIs(page, 0);

  const scarceCard = productCard(page, scarce.name);
  await scarceCard.getByText("Only 3 left").waitFor();
  for (let added = 1; added <= 3; added++) {
    await addToCart(page, scarce.name);
    await cartCountIs(page, added);
  }
  const allTaken = scarceCard.getByRole("button", { name: "All in your cart" });
  await allTaken.waitFor();
  expect(await allTaken.isDisabled()).toBe(true);
  await screenshots(page, "catalog-sold-out", soldOutCard);

  // Sizes known before the images arrive: the grid does not jump about as they load.
  const unsized = await page.locator("img").evaluateAll((images) =>
    images.filter((image) => !image.getAttribute("width") || !image.getAttribute("height")).length);
  expect(unsized).toBe(0);

  expect(problems).toEqual([]);
  await close();
}, 60_000);
