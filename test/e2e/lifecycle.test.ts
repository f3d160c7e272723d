import { expect, test } from "bun:test";
import type { Page, Route } from "playwright-core";
import { ledgerOf, orderRow, stockOf } from "../support/db.ts";
import { readStatusEvents, session, shippingAddress } from "../support/http.ts";
import { announcements, focusMoves, openShopper, PHONE, recordAnnouncements, screenshots, seriousA11yFindings } from "./browser.ts";
import { addToCart, cartCountIs, fillCheckout, ORDER_PAGE, orderStatusIs, pageHeading, storefrontSuite } from "./storefront.ts";

const ADMIN_TOKEN = `admin-${crypto.randomUUID()}`;
const JAEGER_UI_URL = "http://127.0.0.1:16686";
const suite = storefrontSuite("lifecycle", { ADMIN_TOKEN, JAEGER_UI_URL });
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
  await focusMoves(page, "#cancel-question");
  expect(await seriousA11yFindings(page)).toEqual([]);
  await screenshots(page, "order-cancel-confirm", page.locator(".cancel-confirm"));

  // Second thoughts: nothing is sent, and the focus is back where it was.
  await page.getByRole("button", { name: "Keep my order" }).click();
  await page.getByRole("heading", { name: "Cancel this order?" }).waitFor({ state: "detached" });
  // Preact gives the focus back in an effect, after the dialog has gone: wait for it.
  await page.waitForFunction(() => document.activeElement?.textContent === "Cancel order", undefined, { timeout: 5_000 });
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

async function openOperations(page: Page) {
  await page.goto("/admin");
  await page.getByLabel("Admin token").fill(ADMIN_TOKEN);
  await page.getByRole("button", { name: "Open the operations page" }).click();
  await page.getByRole("heading", { name: "Find, ship and cancel orders" }).waitFor();
}

/** Searches the operations page's orders for `email` and opens the one order found. */
async function findOrder(page: Page, email: string, orderId: string) {
  await page.getByLabel("Search orders").fill(email);
  await page.getByRole("button", { name: "Search" }).click();
  const row = page.locator(`.admin-order[data-order-id="${orderId}"]`);
  await row.waitFor();
  expect(await page.locator(".admin-order").count()).toBe(1);
  await row.getByRole("button", { name: `Order ${orderId.slice(0, 8).toUpperCase()}` }).click();
  const detail = page.locator(`.order-detail[data-order-id="${orderId}"]`);
  await detail.locator(".packing-slip").getByText("12 St James's Square").waitFor();
  return detail;
}

async function fitsTheScreen(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

for (const [device, options] of [["desktop", {}], ["phone", { viewport: PHONE, isMobile: true, hasTouch: true }]] as const) {
  test(`on a ${device}, the owner finds an order by email, ships it, then delivers it; the customer's page follows with the tracking number`, async () => {
    const beans = await products.create(`Kenya AA ${device}`, { stock: 5 });
    const customer = await openShopper(suite.browser, suite.shop.url, options);
    const { email, orderId } = await orderOne(customer.page, beans, "Grace Hopper");
    const admin = await openShopper(suite.browser, suite.shop.url, options);
    await openOperations(admin.page);
    await admin.page.locator('.stat[data-stat="shipped"] dd').first().waitFor();

    const detail = await findOrder(admin.page, email, orderId);
    await focusMoves(admin.page, "#order-detail-title");
    await detail.locator(".packing-items").getByText(beans.name).waitFor();
    const trace = detail.getByRole("link", { name: "Trace in Jaeger (opens in a new tab)" });
    expect(await trace.getAttribute("href")).toStartWith(`${JAEGER_UI_URL}/search?service=shop&tags=${encodeURIComponent(JSON.stringify({ "shop.order.id": orderId }))}&`);
    expect([await trace.getAttribute("target"), await trace.getAttribute("rel")]).toEqual(["_blank", "noopener"]);
    await fitsTheScreen(admin.page);
    expect(await seriousA11yFindings(admin.page)).toEqual([]);
    await screenshots(admin.page, `admin-order-${device}`, detail);

    // Each field says what it misses before anything is sent.
    await detail.getByRole("button", { name: "Mark as shipped" }).click();
    await detail.getByText("Please enter the carrier.").waitFor();
    await detail.getByText("Please enter the tracking number.").waitFor();
    const tracking = `RM${crypto.randomUUID().slice(0, 10).toUpperCase()}`;
    await detail.getByLabel("Carrier").fill("Royal Mail");
    await detail.getByLabel("Tracking number").fill(tracking);
    await detail.getByRole("button", { name: "Mark as shipped" }).click();
    await detail.locator('h4 .status-badge[data-status="shipped"]').waitFor();
    await detail.locator('.order-events li[data-event="OrderShipped"]').getByText(`Royal Mail, tracking number ${tracking}`).waitFor();

    await orderStatusIs(customer.page, "shipped");
    await step(customer.page, "shipped").getByText(`Royal Mail · tracking number ${tracking}`).waitFor();
    await step(customer.page, "shipped").locator("time").waitFor();
    expect(await customer.page.getByRole("button", { name: "Cancel order" }).count()).toBe(0);
    await fitsTheScreen(customer.page);
    await screenshots(customer.page, `order-shipped-${device}`);

    await detail.getByRole("button", { name: "Mark as delivered" }).click();
    await detail.locator('h4 .status-badge[data-status="delivered"]').waitFor();
    await detail.getByText("Nothing more to do with this order.").waitFor();
    await orderStatusIs(customer.page, "delivered");
    await step(customer.page, "delivered").locator("time").waitFor();
    expect(await stockOf(beans.id)).toBe(4);
    expect(await seriousA11yFindings(customer.page)).toEqual([]);

    // Back to the list, filtered by the new status: the focus returns to the order it left.
    await detail.getByRole("button", { name: "← All orders" }).click();
    await focusMoves(admin.page, `[data-open-order="${orderId}"]`);
    await admin.page.getByLabel("Status").selectOption("delivered");
    await admin.page.locator(`.admin-order[data-order-id="${orderId}"] .status-badge[data-status="delivered"]`).waitFor();
    await fitsTheScreen(admin.page);
    expect(await seriousA11yFindings(admin.page)).toEqual([]);
    await screenshots(admin.page, `admin-orders-${device}`, admin.page.locator(".order-search"));

    expect([...customer.problems, ...admin.problems]).toEqual([]);
    await customer.close();
    await admin.close();
  }, 90_000);
}

test("the owner's view lagging behind a customer's cancellation: Ship is refused with why, and the view catches up", async () => {
  const cups = await products.create("Porcelain Cups", { stock: 3 });
  const customer = await openShopper(suite.browser, suite.shop.url);
  const { email, orderId } = await orderOne(customer.page, cups, "Hedy Lamarr");
  const admin = await openShopper(suite.browser, suite.shop.url);
  await openOperations(admin.page);
  const detail = await findOrder(admin.page, email, orderId);

  // The owner's page asks for the order again every 2 seconds; held back, it still shows it confirmed.
  const held: Route[] = [];
  let holding = true;
  await admin.page.route(`**/api/admin/orders/${orderId}`, (route) => (holding ? void held.push(route) : route.continue()));
  await customer.page.getByRole("button", { name: "Cancel order" }).click();
  await customer.page.getByRole("button", { name: "Yes, cancel the order" }).click();
  await orderStatusIs(customer.page, "cancelled");
  expect((await orderRow(orderId))?.status).toBe("cancelled");

  await detail.getByLabel("Carrier").fill("DHL");
  await detail.getByLabel("Tracking number").fill("JD0123456789");
  await detail.getByRole("button", { name: "Mark as shipped" }).click();
  await detail.getByRole("alert").getByText("Not shipped: only a confirmed order can be shipped.").waitFor();
  expect(await seriousA11yFindings(admin.page)).toEqual([]);

  holding = false;
  for (const route of held) await route.continue();
  await detail.locator('h4 .status-badge[data-status="cancelled"]').waitFor();
  await detail.locator('.order-events li[data-event="OrderCancelled"]').getByText("by the customer; 1 unit back in stock").waitFor();
  expect(await detail.getByRole("button", { name: "Mark as shipped" }).count()).toBe(0);
  expect(await stockOf(cups.id)).toBe(3);

  expect([...customer.problems, ...admin.problems]).toEqual([]);
  await customer.close();
  await admin.close();
}, 90_000);

test("the owner cancels an order, after confirming, with a reason the customer reads; its units go back", async () => {
  const kettle = await products.create("Gooseneck Kettle", { stock: 2 });
  const customer = await openShopper(suite.browser, suite.shop.url);
  const { email, orderId } = await orderOne(customer.page, kettle, "Katherine Johnson");
  const admin = await openShopper(suite.browser, suite.shop.url);
  await openOperations(admin.page);
  const detail = await findOrder(admin.page, email, orderId);

  await detail.getByRole("button", { name: "Cancel order" }).click();
  await detail.getByRole("heading", { name: "Cancel this order?" }).waitFor();
  await focusMoves(admin.page, "#admin-cancel-title");
  expect(await seriousA11yFindings(admin.page)).toEqual([]);
  await detail.getByLabel("Reason, shown to the customer (optional)").fill("Out of kettles after a breakage");
  await detail.getByRole("button", { name: "Yes, cancel it" }).click();
  await detail.locator('h4 .status-badge[data-status="cancelled"]').waitFor();
  await detail.locator('.order-events li[data-event="OrderCancelled"]').getByText("by the shop: “Out of kettles after a breakage”; 1 unit back in stock").waitFor();

  await orderStatusIs(customer.page, "cancelled");
  await step(customer.page, "cancelled").getByText("By the shop: “Out of kettles after a breakage”").waitFor();
  expect(await stockOf(kettle.id)).toBe(2);

  expect([...customer.problems, ...admin.problems]).toEqual([]);
  await customer.close();
  await admin.close();
}, 90_000);

test("the owner pages through the orders a search finds, older then newer, and filters them by status", async () => {
  const filters = await products.create("Paper Filters", { stock: 50 });
  // A surname of its own, letters only as a name has (a search with a digit is for an email or an
  // order number): the search finds these 12 orders and no other.
  const surname = `Pager${Array.from(crypto.getRandomValues(new Uint8Array(10)), (b) => String.fromCharCode(97 + (b % 26))).join("")}`;
  const placed = [];
  for (let n = 0; n < 12; n++) {
    const response = await session(suite.shop.url).postOrder({
      customer: { name: `Ada ${surname}`, email: `pager.${n}.${surname}@example.com`.toLowerCase() }, shippingAddress, items: [{ productId: filters.id, quantity: 1 }],
    });
    expect(response.status).toBe(202);
    placed.push(((await response.json()) as { id: string }).id);
  }
  await Promise.all(placed.map((id) => readStatusEvents(suite.shop.url, id)));
  const admin = await openShopper(suite.browser, suite.shop.url, { viewport: PHONE, isMobile: true, hasTouch: true });
  await openOperations(admin.page);
  await admin.page.getByLabel("Search orders").fill(surname);
  await admin.page.getByRole("button", { name: "Search" }).click();

  const rows = admin.page.locator(".admin-order");
  const shown = () => rows.evaluateAll((lis) => lis.map((li) => li.getAttribute("data-order-id")));
  // The operations page pages its products too: this is the orders' pager.
  const pager = admin.page.getByRole("navigation", { name: "Pages of orders" });
  await pager.getByText("Page 1").waitFor();
  await rows.nth(9).waitFor();
  const first = await shown();
  expect(first).toEqual(placed.slice(2).reverse());
  await admin.page.getByRole("button", { name: "Older orders" }).click();
  await pager.getByText("Page 2").waitFor();
  await rows.nth(1).waitFor();
  expect(await shown()).toEqual(placed.slice(0, 2).reverse());
  expect(await admin.page.getByRole("button", { name: "Older orders" }).isDisabled()).toBe(true);
  await fitsTheScreen(admin.page);
  expect(await seriousA11yFindings(admin.page)).toEqual([]);
  await admin.page.getByRole("button", { name: "Newer orders" }).click();
  await rows.nth(9).waitFor();
  expect(await shown()).toEqual(first);

  await admin.page.getByLabel("Status").selectOption("shipped");
  await admin.page.getByText("No orders match this search.").waitFor();

  expect(admin.problems).toEqual([]);
  await admin.close();
}, 90_000);
