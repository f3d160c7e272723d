import { expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { ledgerOf, stockOf, TEST_PRODUCT_DESCRIPTION } from "../support/db.ts";
import { fitsThePhone, openShopper, screenshots, seriousA11yFindings } from "./browser.ts";
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
  const row = catalogRow(admin.page, kettle.name);
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
  await catalogRow(admin.page, dripper.name).getByRole("button", { name: `Manage ${dripper.name}` }).click();
  const down = admin.page.getByRole("form", { name: `Restock ${dripper.name}` });
  await down.getByLabel("Units to add (negative to take away)").fill("-4");
  await down.getByLabel("Reason").fill("Broken in the shop");
  await down.getByRole("button", { name: "Adjust stock" }).click();
  await shopper.page.getByTestId("stock-warning").filter({ hasText: `Sold out since you added it: ${dripper.name}` }).waitFor();
  expect(await shopper.page.getByRole("link", { name: "Check out" }).count()).toBe(0);
  await screenshots(shopper.page, "cart-sold-out-warning");

  expect(shopper.problems).toEqual([]);
  expect(admin.problems).toEqual([]);
  await Promise.all([shopper.close(), admin.close()]);
}, 90_000);

test("create and edit show each error next to its field; a stock adjustment below zero is refused there too; phone layout and axe", async () => {
  const taken = await products.create("Tea Caddy", { stock: 2, priceCents: 1900 });
  const { page, problems, close } = await openShopper(suite.browser, suite.shop.url);
  await openAdmin(page);
  await catalogRow(page, taken.name).waitFor();

  await page.getByRole("button", { name: "New product" }).click();
  const create = page.getByRole("form", { name: "New product" });
  await create.getByLabel("Price (USD)").fill("12.345");
  await create.getByRole("button", { name: "Create product" }).click();
  expect(await errorOf(page, "New product", "SKU")).toContain("Enter a sku.");
  expect(await errorOf(page, "New product", "Name")).toContain("Enter a name.");
  expect(await errorOf(page, "New product", "Price (USD)")).toContain("Enter a price in dollars, like 12.50.");
  // The first field in error has the focus.
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("new-product-sku");
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
  const created = catalogRow(page, `${big}`);
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
  await catalogRow(page, `${xl}`).getByRole("cell", { name: "$26.00" }).waitFor();

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

  // Archive: gone from the storefront, marked in the table.
  await catalogRow(page, `${xl}`).getByRole("button", { name: `Archive ${xl}` }).click();
  await catalogRow(page, `${xl}`).getByText("archived").waitFor();
  const shopper = await openShopper(suite.browser, suite.shop.url);
  await shopper.page.goto("/");
  await productCard(shopper.page, taken.name).waitFor();
  expect(await productCard(shopper.page, `${xl}`).count()).toBe(0);
  await screenshots(page, "admin-catalog");

  expect(problems).toEqual([]);
  await Promise.all([close(), shopper.close()]);
}, 120_000);
