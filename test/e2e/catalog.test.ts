import { expect, test } from "bun:test";
import { sql } from "../support/db.ts";
import { openShopper, PHONE, screenshots } from "./browser.ts";
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

test("the stock stream follows the products on screen only, and one scrolled to shows where it stands now", async () => {
  // Made last, so the newest first: the whole first page of 24 is this test's.
  const made = [];
  for (let i = 1; i <= 24; i++) made.push(await products.create(`Follow ${String(i).padStart(2, "0")}`, { stock: 9 }));
  const [last, first] = [made[0]!, made.at(-1)!];
  const { page, problems, close } = await openShopper(suite.browser, suite.shop.url, { viewport: PHONE });
  const stream = (also: (ids: string[]) => boolean) => page.waitForRequest((request) => {
    const url = new URL(request.url());
    return url.pathname === "/api/products/events" && also(url.searchParams.get("ids")?.split(",") ?? []);
  });
  const opened = stream(() => true);
  await page.goto("/");
  const ids = new URL((await opened).url()).searchParams.get("ids")!.split(",");
  expect(ids).toContain(first.id);
  expect(ids).not.toContain(last.id);
  expect(ids.length).toBeLessThan(12);
  await productCard(page, first.name).getByText("In stock").waitFor();

  // Changed while off screen, with no event to say so: the stream it gets on screen opens with it.
  await sql`UPDATE products SET stock = 2 WHERE id = ${last.id}`;
  const followsLast = stream((now) => now.includes(last.id) && !now.includes(first.id));
  await productCard(page, last.name).scrollIntoViewIfNeeded();
  await followsLast;
  await productCard(page, last.name).getByText("Only 2 left").waitFor();

  expect(problems).toEqual([]);
  await close();
}, 60_000);
