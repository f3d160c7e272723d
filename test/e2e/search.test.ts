import { expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { openShopper, screenshots, seriousA11yFindings } from "./browser.ts";
import { addToCart, cartCountIs, pageHeading, productCard, storefrontSuite } from "./storefront.ts";

const suite = storefrontSuite("search", { ROLES: "api" });
const { products } = suite;

/** The names of the product cards on the page, in their order, once the list shows what was last asked. */
async function cardNames(page: Page) {
  await page.locator('.product-grid[aria-busy="false"]').waitFor();
  return page.locator("article.card h2").allTextContents();
}

/** Types a search, and waits until the address says it was taken. */
async function search(page: Page, q: string) {
  await page.getByRole("combobox", { name: "Search the shop" }).fill(q);
  await page.waitForURL((url) => url.searchParams.get("q") === q);
}

test("a shopper finds products by typing part of a name, with a typo too; the address keeps the search; nothing found says what to try", async () => {
  const matcha = await products.create("Kyoto Matcha", { stock: 5 });
  const hojicha = await products.create("Kyoto Hojicha", { stock: 5 });
  const lapsang = await products.create("Lapsang Souchong", { stock: 5 });
  const tag = matcha.name.slice("Kyoto Matcha ".length);
  const { page, problems, close } = await openShopper(suite.browser, suite.shop.url);
  await page.goto("/");
  await pageHeading(page, "Coffee, tea & brewing gear");

  const box = page.getByRole("combobox", { name: "Search the shop" });
  await search(page, `kyot ${tag}`);
  await productCard(page, hojicha.name).waitFor();
  expect((await cardNames(page)).slice(0, 2).sort()).toEqual([hojicha.name, matcha.name].sort());
  await addToCart(page, matcha.name);
  await cartCountIs(page, 1);

  // A typo still finds it, first.
  await search(page, `lapsnag ${tag}`);
  await productCard(page, lapsang.name).waitFor();
  expect((await cardNames(page))[0]).toBe(lapsang.name);
  expect(await page.getByRole("combobox", { name: "Sort by" }).inputValue()).toBe("relevance");

  // A reload, or a link shared, shows the same search.
  await page.reload();
  expect(await box.inputValue()).toBe(`lapsnag ${tag}`);
  await productCard(page, lapsang.name).waitFor();

  // Letters no product name has, in no order a name has them either.
  await search(page, "qqzzxvkwj");
  await page.getByText("Nothing matches “qqzzxvkwj”.").waitFor();
  await screenshots(page, "search-nothing-found");
  await page.getByRole("button", { name: "Show every product" }).click();
  expect(await box.inputValue()).toBe("");
  await page.waitForURL((url) => url.search === "");
  // New arrivals first: what this test made last is on the first page.
  await productCard(page, lapsang.name).waitFor();

  expect(await seriousA11yFindings(page)).toEqual([]);
  expect(problems).toEqual([]);
  await close();
});

test("results come a page at a time: the next comes as one scrolls, each product once; its link works without the app, rendered on the server", async () => {
  const made: string[] = [];
  for (let i = 0; i < 30; i++) made.push((await products.create(`Bulk Sencha ${String(i).padStart(2, "0")}`, { stock: 1 })).name);
  const tag = made[0]!.slice("Bulk Sencha 00 ".length);
  const { page, problems, close } = await openShopper(suite.browser, suite.shop.url);
  await page.goto(`/?q=${encodeURIComponent(`bulk sencha ${tag}`)}&sort=name`);
  await productCard(page, made[0]!).waitFor();
  expect((await cardNames(page)).length).toBe(24);
  const more = page.getByRole("link", { name: "Show more products" });
  const next = (await more.getAttribute("href"))!;
  expect(new URL(next, suite.shop.url).searchParams.get("cursor")).toBeTruthy();
  await page.mouse.wheel(0, 20_000);
  await productCard(page, made[29]!).waitFor();
  const names = await cardNames(page);
  expect(names.filter((n) => made.includes(n))).toEqual(made);
  expect(new Set(names).size).toBe(names.length);
  // The last page has no link to a next one.
  expect(await more.count()).toBe(0);
  expect(problems).toEqual([]);
  await close();

  // Without JavaScript (a crawler), the link is a page of its own: the next six, from the server.
  const plain = await openShopper(suite.browser, suite.shop.url, { javaScriptEnabled: false });
  await plain.page.goto(next);
  expect(await plain.page.locator("article.card h2").allTextContents()).toEqual(made.slice(24));
  expect(await plain.page.locator('link[rel="canonical"]').getAttribute("href")).not.toContain("cursor");
  await plain.close();
});

test("suggestions as one types: arrows move through them, Escape closes them, Enter opens the product's page; a screen reader hears which is active", async () => {
  const gyokuro = await products.create("Shizuoka Gyokuro", { stock: 5 });
  const kabusecha = await products.create("Shizuoka Kabusecha", { stock: 5 });
  const tag = gyokuro.name.slice("Shizuoka Gyokuro ".length);
  const { page, problems, close } = await openShopper(suite.browser, suite.shop.url);
  await page.goto("/");
  const box = page.getByRole("combobox", { name: "Search the shop" });
  const list = page.getByRole("listbox", { name: "Suggested products" });
  await box.fill("k");
  // One letter suggests nothing: it would match most of a catalog.
  await page.waitForURL((url) => url.searchParams.get("q") === "k");
  expect(await box.getAttribute("aria-expanded")).toBe("false");

  await box.fill(`${tag} shizu`);
  await list.waitFor();
  expect((await list.getByRole("option").allTextContents()).map((t) => t.replace(/\s*\$.*$/, "")).sort()).toEqual([gyokuro.name, kabusecha.name].sort());
  expect(await box.getAttribute("aria-expanded")).toBe("true");
  await box.press("ArrowDown");
  const first = list.getByRole("option").first();
  expect(await first.getAttribute("aria-selected")).toBe("true");
  expect(await box.getAttribute("aria-activedescendant")).toBe(await first.getAttribute("id"));
  await box.press("ArrowUp");
  expect(await box.getAttribute("aria-activedescendant")).toBeNull();
  await box.press("Escape");
  await list.waitFor({ state: "hidden" });
  expect(await box.inputValue()).toBe(`${tag} shizu`);
  expect(await seriousA11yFindings(page)).toEqual([]);

  await box.press("ArrowDown");
  await list.waitFor();
  const chosen = (await list.getByRole("option").first().textContent())!.replace(/\s*\$.*$/, "");
  await box.press("Enter");
  await page.waitForURL((url) => url.pathname.startsWith("/products/"));
  await pageHeading(page, chosen);
  expect(problems).toEqual([]);
  await close();
});
