import { expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { ledgerOf, stockOf, TEST_CATEGORY_SLUG, TEST_PRODUCT_DESCRIPTION } from "../support/db.ts";
import { fitsThePhone, focusMoves, openShopper, screenshots, seriousA11yFindings } from "./browser.ts";
import { addToCart, cartCountIs, pageHeading, productCard, storefrontSuite } from "./storefront.ts";

const ADMIN_TOKEN = `admin-${crypto.randomUUID()}`;
const suite = storefrontSuite("admin-catalog", { ADMIN_TOKEN });
const { products } = suite;

async function openAdmin(page: Page) {
  await page.goto("/admin");
  await page.getByLabel("Admin token").fill(ADMIN_TOKEN);
  await page.getByRole("button", { name: "Open the operations page" }).click();
  await page.getByRole("heading", { name: "Catalog and stock" }).waitFor();
}

const tag = crypto.randomUUID().slice(0, 6);
const big = `Large Caddy ${tag}`;
const xl = `XL Caddy ${tag}`;

const catalogRow = (page: Page, name: string) => page.locator("tr[data-product-id]", { has: page.getByRole("rowheader", { name: new RegExp(`^${name}`) }) });

/** The product's row in the table of products on sale, found by searching for its name: the table shows a page at a time. */
async function findProduct(page: Page, name: string) {
  const search = page.getByRole("search", { name: "Find products" });
  await search.getByLabel("Find products").fill(name);
  await search.getByLabel("Find products").press("Enter");
  const row = catalogRow(page, name);
  await row.waitFor();
  return row;
}

/** The error shown under the field labelled `label`, which the field names as its description. */
async function errorOf(page: Page, form: string, label: string) {
  const field = page.getByRole("form", { name: form }).getByLabel(label, { exact: true });
  await field.and(page.locator('[aria-invalid="true"]')).waitFor();
  const id = (await field.getAttribute("aria-describedby"))!.split(" ").find((x) => x.endsWith("-error"))!;
  return page.locator(`[id="${id}"]`).textContent();
}

test("an admin restocks on /admin and an open storefront tab shows the new stock without a reload; the cart warns of what ran out", async () => {
  const kettle = await products.create("Pour-over Kettle", { stock: 0, priceCents: 5400 });
  const dripper = await products.create("Glass Dripper", { stock: 4, priceCents: 2600 });
  const shopper = await openShopper(suite.browser, suite.shop.url);
  await shopper.page.goto("/");
  const card = productCard(shopper.page, kettle.name);
  await card.getByText("Sold out", { exact: true }).first().waitFor();
  expect(await card.getByRole("button", { name: "Sold out" }).isDisabled()).toBe(true);
  // Set on this page, gone after any reload: proves the change arrived without one.
  await shopper.page.evaluate(() => { (window as unknown as { notReloaded: boolean }).notReloaded = true; });

  const admin = await openShopper(suite.browser, suite.shop.url);
  await openAdmin(admin.page);
  const row = await findProduct(admin.page, kettle.name);
  await row.locator("td.stock-out").waitFor();
  await row.getByRole("button", { name: `Manage ${kettle.name}` }).click();
  const restock = admin.page.getByRole("form", { name: `Restock ${kettle.name}` });
  await restock.getByLabel("Units to add (negative to take away)").fill("3");
  await restock.getByLabel("Reason").fill("Delivery from the workshop");
  await restock.getByRole("button", { name: "Adjust stock" }).click();
  await admin.page.getByTestId("catalog-outcome").filter({ hasText: `${kettle.name}: 3 in stock.` }).waitFor();
  await admin.page.getByRole("table", { name: `Stock movements of ${kettle.name}, newest first` }).getByText("Delivery from the workshop").waitFor();

  await card.getByText("Only 3 left").waitFor();
  expect(await card.getByRole("button", { name: `Add ${kettle.name} to cart` }).isEnabled()).toBe(true);
  expect(await shopper.page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  expect(await stockOf(kettle.id)).toBe(3);
  expect(await ledgerOf(kettle.id)).toBe(3);

  // The shopper puts the dripper in the cart; it sells out from the operations page meanwhile.
  await addToCart(shopper.page, dripper.name);
  await cartCountIs(shopper.page, 1);
  await shopper.page.getByRole("link", { name: /^Cart/ }).click();
  await pageHeading(shopper.page, "Your cart");
  await (await findProduct(admin.page, dripper.name)).getByRole("button", { name: `Manage ${dripper.name}` }).click();
  const down = admin.page.getByRole("form", { name: `Restock ${dripper.name}` });
  await down.getByLabel("Units to add (negative to take away)").fill("-4");
  await down.getByLabel("Reason").fill("Broken in the shop");
  await down.getByRole("button", { name: "Adjust stock" }).click();
  await shopper.page.getByTestId("stock-warning").filter({ hasText: `Sold out since you added it: ${dripper.name}` }).waitFor();
  expect(await shopper.page.getByRole("link", { name: "Check out" }).count()).toBe(0);
  await screenshots(shopper.page, "cart-sold-out-warning");

  // Taken off sale while the shopper checks out: the line stays and says so, without a reload.
  await shopper.page.goto("/");
  await addToCart(shopper.page, kettle.name);
  await shopper.page.goto("/checkout");
  const line = shopper.page.locator(".summary-lines li", { hasText: kettle.name });
  await line.waitFor();
  const archived = await fetch(`${suite.shop.url}/api/admin/products/${kettle.id}`, {
    method: "PATCH", headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" }, body: JSON.stringify({ archived: true }),
  });
  expect(archived.status).toBe(200);
  await line.getByText("We no longer sell this. Please remove it from your cart.").waitFor();

  expect(shopper.problems).toEqual([]);
  expect(admin.problems).toEqual([]);
  await Promise.all([shopper.close(), admin.close()]);
}, 90_000);

test("create and edit show each error next to its field; a stock adjustment below zero is refused there too; phone layout and axe", async () => {
  const taken = await products.create("Tea Caddy", { stock: 2, priceCents: 1900 });
  const { page, problems, close } = await openShopper(suite.browser, suite.shop.url);
  await openAdmin(page);
  await findProduct(page, taken.name);

  await page.getByRole("button", { name: "New product" }).click();
  const create = page.getByRole("form", { name: "New product" });
  await create.getByLabel("Price (USD)").fill("12.345");
  await create.getByRole("button", { name: "Create product" }).click();
  expect(await errorOf(page, "New product", "SKU")).toContain("Enter a sku.");
  expect(await errorOf(page, "New product", "Name")).toContain("Enter a name.");
  expect(await errorOf(page, "New product", "Price (USD)")).toContain("Enter a price in dollars, like 12.50.");
  // The first field in error has the focus.
  await focusMoves(page, "#new-product-sku");
  expect(await seriousA11yFindings(page)).toEqual([]);
  await fitsThePhone(page);
  await screenshots(page, "admin-catalog-create-errors", create);

  // The API's own refusal lands on the field too: a sku another product holds.
  await create.getByLabel("SKU").fill(taken.id);
  await create.getByLabel("Name").fill(`${big}`);
  await create.getByLabel("Description").fill(TEST_PRODUCT_DESCRIPTION);
  await create.getByLabel("Price (USD)").fill("24.50");
  await create.getByRole("button", { name: "Create product" }).click();
  expect(await errorOf(page, "New product", "SKU")).toContain("Another product has this sku.");

  const sku = `E2E-${crypto.randomUUID().slice(0, 8)}`;
  await create.getByLabel("SKU").fill(sku);
  await create.getByLabel("Opening stock").fill("7");
  await create.getByRole("button", { name: "Create product" }).click();
  await page.getByTestId("catalog-outcome").filter({ hasText: `${big} created.` }).waitFor();
  const created = await findProduct(page, big);
  await created.getByText(sku).waitFor();
  await created.getByRole("cell", { name: "$24.50" }).waitFor();

  // Edit: an empty name and a bad image are refused next to their fields; a good edit applies.
  await created.getByRole("button", { name: `Manage ${big}` }).click();
  const edit = page.getByRole("form", { name: `Edit ${big}` });
  await edit.getByLabel("Name").fill(" ");
  await edit.getByLabel("Image").fill("javascript:alert(1)");
  await edit.getByRole("button", { name: "Save changes" }).click();
  expect(await errorOf(page, `Edit ${big}`, "Name")).toContain("Enter a name.");
  expect(await errorOf(page, `Edit ${big}`, "Image")).toContain("Use a path on this site, like /images/house-espresso.svg.");
  await edit.getByLabel("Name").fill(`${xl}`);
  await edit.getByLabel("Image").fill("/images/glass-teapot.svg");
  await edit.getByLabel("Price (USD)").fill("26");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await page.getByTestId("catalog-outcome").filter({ hasText: `${xl} saved.` }).waitFor();
  await (await findProduct(page, xl)).getByRole("cell", { name: "$26.00" }).waitFor();

  // Taking away more than there is: refused by the form, and by the worker for a stale page.
  const restock = page.getByRole("form", { name: `Restock ${xl}` });
  await restock.getByLabel("Units to add (negative to take away)").fill("-8");
  await restock.getByLabel("Reason").fill("Stocktake");
  await restock.getByRole("button", { name: "Adjust stock" }).click();
  expect(await errorOf(page, `Restock ${xl}`, "Units to add (negative to take away)")).toContain("Only 7 in stock: at most -7.");
  await restock.getByLabel("Units to add (negative to take away)").fill("0");
  await restock.getByLabel("Reason").fill("");
  await restock.getByRole("button", { name: "Adjust stock" }).click();
  expect(await errorOf(page, `Restock ${xl}`, "Units to add (negative to take away)")).toContain("other than 0");
  expect(await errorOf(page, `Restock ${xl}`, "Reason")).toContain("Say why");
  expect(await seriousA11yFindings(page)).toEqual([]);
  await fitsThePhone(page);
  await screenshots(page, "admin-catalog-manage", restock);

  // Archive: gone from the storefront and from the products on sale, marked among the archived ones.
  await catalogRow(page, xl).getByRole("button", { name: `Archive ${xl}` }).click();
  await page.getByTestId("catalog-outcome").filter({ hasText: `${xl} archived` }).waitFor();
  await page.getByRole("button", { name: "Show archived products" }).click();
  const archived = page.getByRole("table", { name: "Archived products" });
  await archived.locator("tr[data-product-id]", { hasText: xl }).getByText("archived").waitFor();
  await page.getByRole("table", { name: "Products on sale and their stock" }).getByText(xl).waitFor({ state: "detached" });
  const shopper = await openShopper(suite.browser, suite.shop.url);
  await shopper.page.goto("/");
  await productCard(shopper.page, taken.name).waitFor();
  expect(await productCard(shopper.page, `${xl}`).count()).toBe(0);
  await screenshots(page, "admin-catalog");

  expect(problems).toEqual([]);
  await Promise.all([close(), shopper.close()]);
}, 120_000);

test("categories: created with their address (refused next to the field when taken or malformed), renamed, and a product put in one from its form", async () => {
  const tea = await products.create("Sencha Tin", { stock: 3, priceCents: 1400 });
  const { page, problems, close } = await openShopper(suite.browser, suite.shop.url);
  await openAdmin(page);
  const name = `Green tea ${tag}`;
  const slug = `${TEST_CATEGORY_SLUG}green-${tag}`;

  await page.getByRole("button", { name: "New category" }).click();
  const create = page.getByRole("form", { name: "New category" });
  await create.getByLabel("Name").fill(name);
  // The address follows the name until it is edited by hand.
  expect(await create.getByLabel("Address").inputValue()).toBe(`green-tea-${tag}`);
  await create.getByLabel("Address").fill("Green Tea");
  await create.getByRole("button", { name: "Create category" }).click();
  expect(await errorOf(page, "New category", "Address")).toContain("words joined by single dashes");
  await create.getByLabel("Address").fill(slug);
  await create.getByRole("button", { name: "Create category" }).click();
  await page.getByTestId("catalog-outcome").filter({ hasText: `Category ${name} created.` }).waitFor();
  const row = page.locator("tr[data-category-id]", { has: page.getByRole("rowheader", { name }) });
  await row.getByText(`/categories/${slug}`).waitFor();

  // The same address again is refused by the API, next to the field.
  await page.getByRole("button", { name: "New category" }).click();
  await create.getByLabel("Name").fill(`Another ${tag}`);
  await create.getByLabel("Address").fill(slug);
  await create.getByRole("button", { name: "Create category" }).click();
  expect(await errorOf(page, "New category", "Address")).toContain("Another category has this address.");
  await create.getByRole("button", { name: "Cancel" }).click();

  const renamed = `Loose-leaf green tea ${tag}`;
  await row.getByRole("button", { name: `Rename ${name}` }).click();
  const rename = page.getByRole("form", { name: `Rename ${name}` });
  await rename.getByLabel("Name").fill(renamed);
  await rename.getByRole("button", { name: "Rename" }).click();
  await page.getByTestId("catalog-outcome").filter({ hasText: `Category ${renamed} renamed.` }).waitFor();
  const renamedRow = page.locator("tr[data-category-id]", { has: page.getByRole("rowheader", { name: renamed }) });
  await renamedRow.getByText(`/categories/${slug}`).waitFor();

  // Into the category from the product's form: its row says so, the category counts it, and the filter shows it alone.
  await (await findProduct(page, tea.name)).getByRole("button", { name: `Manage ${tea.name}` }).click();
  const edit = page.getByRole("form", { name: `Edit ${tea.name}` });
  await edit.getByLabel("Category").selectOption({ label: renamed });
  await edit.getByRole("button", { name: "Save changes" }).click();
  await page.getByTestId("catalog-outcome").filter({ hasText: `${tea.name} saved.` }).waitFor();
  await catalogRow(page, tea.name).getByRole("cell", { name: renamed }).waitFor();
  await renamedRow.getByRole("cell", { name: "1", exact: true }).waitFor();
  const search = page.getByRole("search", { name: "Find products" });
  await search.getByLabel("Find products").fill("");
  await search.getByLabel("Category").selectOption({ label: renamed });
  await page.getByText("Page 1: 1 product", { exact: true }).waitFor();
  expect(await page.getByRole("table", { name: "Products on sale and their stock" }).locator("tr[data-product-id]").count()).toBe(1);
  expect(await seriousA11yFindings(page)).toEqual([]);
  await fitsThePhone(page);
  await screenshots(page, "admin-categories");

  expect(problems).toEqual([]);
  await close();
}, 90_000);

test("the table of products pages through a search, 20 a page: next and previous page, each product once", async () => {
  // One word, and this test's alone: a tag of digits only once left "Paged", which PostgreSQL stems
  // to "page" and other products' words matched too. Digits become letters, so it stays one word.
  const word = `Paged${tag.replace(/\d/g, (d) => "ghijklmnop"[Number(d)]!)}`;
  const made = new Set<string>();
  for (let i = 0; i < 23; i++) made.add((await products.create(`${word} Jar ${String(i).padStart(2, "0")}`, { stock: 1 })).name);
  const { page, problems, close } = await openShopper(suite.browser, suite.shop.url);
  await openAdmin(page);
  const search = page.getByRole("search", { name: "Find products" });
  await search.getByLabel("Find products").fill(word);
  await search.getByRole("button", { name: "Find" }).click();
  const rows = page.getByRole("table", { name: "Products on sale and their stock" }).getByRole("rowheader");
  const names = async () => (await rows.allTextContents()).map((text) => [...made].find((name) => text.startsWith(name)));
  await page.getByText(`Page 1: 20 products matching “${word}”`).waitFor();
  const first = await names();
  const pager = page.getByRole("navigation", { name: "Pages of products" });
  await pager.getByRole("button", { name: "Next page" }).click();
  await page.getByText(`Page 2: 3 products matching “${word}”`).waitFor();
  expect(await pager.getByRole("button", { name: "Next page" }).isDisabled()).toBe(true);
  expect(new Set([...first, ...(await names())])).toEqual(made);
  await pager.getByRole("button", { name: "Previous page" }).click();
  await page.getByText(`Page 1: 20 products matching “${word}”`).waitFor();
  expect(await names()).toEqual(first);
  expect(problems).toEqual([]);
  await close();
}, 60_000);
