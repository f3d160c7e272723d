import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { orderRow } from "../support/db.ts";
import { orderPlacedForMissingOrder, storePlacedOrder } from "../support/deadLetters.ts";
import { groups, stopProducing, topics, watch, type Watcher } from "../support/kafka.ts";
import { startShop, type RunningShop } from "../support/shop.ts";
import { fitsThePhone, launchBrowser, openShopper, screenshots, seriousA11yFindings } from "./browser.ts";
import { pageHeading } from "./storefront.ts";

/** A topic name inside a pattern: the run's prefix has dots in it. */
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const ADMIN_TOKEN = `admin-${crypto.randomUUID()}`;
let shop: RunningShop;
let browser: Browser;
let watcher: Watcher;

beforeAll(async () => {
  [shop, browser, watcher] = await Promise.all([startShop({ ADMIN_TOKEN }, "e2e-admin"), launchBrowser(), watch([topics.confirmed])]);
}, 120_000);

afterAll(async () => {
  await stopProducing();
  await watcher?.stop();
  await browser?.close();
  await shop?.stop();
}, 30_000);

const deadLetterRow = (page: Page, key: string) => page.locator("tr[data-dead-letter-id]", { hasText: key });

test("/admin is denied without the admin token and with a wrong one; nothing of the operations shows", async () => {
  const { page, problems, close } = await openShopper(browser, shop.url);
  await page.goto("/admin");
  await pageHeading(page, "Operations");
  await page.getByLabel("Admin token").waitFor();
  expect(await page.getByRole("heading", { name: "Dead letters" }).count()).toBe(0);
  // The page's own API refuses a browser that has only its cookie.
  expect(await page.evaluate(async () => (await fetch("/api/admin/overview")).status)).toBe(401);

  await page.getByLabel("Admin token").fill("not-the-admin-token");
  await page.getByRole("button", { name: "Open the operations page" }).click();
  await page.getByRole("alert").getByRole("heading", { name: "Access denied" }).waitFor();
  expect(await page.getByRole("heading", { name: "Dead letters" }).count()).toBe(0);
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  await screenshots(page, "admin-denied");

  expect(problems).toEqual([]);
  await close();
}, 60_000);

test("with the token: orders, lag and the dead letter show; Replay, once the cause is fixed, gets the order processed", async () => {
  const { orderId } = await orderPlacedForMissingOrder();
  const { page, problems, close } = await openShopper(browser, shop.url);
  await page.goto("/admin");
  await page.getByLabel("Admin token").fill(ADMIN_TOKEN);
  await page.getByRole("button", { name: "Open the operations page" }).click();

  await page.locator('.stat[data-stat="confirmed"] dd').first().waitFor();
  await page.getByRole("img", { name: /^Orders per second, last 10 minutes/ }).waitFor();
  const lag = page.getByRole("table", { name: /^Consumer lag/ });
  await lag.locator("tbody tr[data-partition]").first().waitFor();
  expect(await lag.getByRole("columnheader").allTextContents())
    .toEqual([
      "Partition", `${groups.catalog}${topics.catalogCommands}`, `${groups.deadLetters}${topics.dlq}`,
      // The notifier's four topics, a column each: no shop here mails, so their events wait.
      ...[topics.cancelled, topics.confirmed, topics.rejected, topics.shipped].map((topic) => `${groups.notifier}${topic}`),
      `${groups.commands}${topics.commands}`, `${groups.events}${topics.placed}`,
    ]);

  // Polling brings the dead letter in by itself, with its reason.
  const row = deadLetterRow(page, orderId);
  await row.getByText(`OrderPlaced for an order that does not exist: ${orderId}`).waitFor({ timeout: 30_000 });
  await row.getByText(new RegExp(`^from ${literal(topics.placed)} · \\d+/\\d+$`)).waitFor();
  const replay = row.getByRole("button", { name: /^Replay dead letter \d+$/ });
  expect(await replay.getAttribute("aria-disabled")).toBe("false");
  await screenshots(page, "admin-dead-letter", row);
  expect(await seriousA11yFindings(page)).toEqual([]);
  await fitsThePhone(page);

  // The cause fixed: the order is in the database now. Replay it from the page.
  await storePlacedOrder(orderId);
  await replay.click();
  await page.getByRole("status").filter({ hasText: new RegExp(`^Dead letter \\d+ replayed to ${literal(topics.placed)}\\.`) }).waitFor();
  await page.locator('tr[data-replayed="true"]', { hasText: orderId }).waitFor();
  await row.getByRole("button", { name: /^Replayed dead letter \d+$/ }).waitFor();
  expect(await row.getByRole("button", { name: /^Replayed/ }).isDisabled()).toBe(true);

  await watcher.until((seen) => seen.some((m) => m.key === orderId && m.json?.type === "OrderConfirmed"), 30_000, "OrderConfirmed");
  expect((await orderRow(orderId))?.status).toBe("confirmed");
  // Processed, not dead-lettered again: the page still lists exactly one dead letter for it, replayed.
  await page.locator('.admin-toolbar').getByText(/^Live · updated/).waitFor();
  expect(await deadLetterRow(page, orderId).count()).toBe(1);
  await screenshots(page, "admin-replayed", row);
  await screenshots(page, "admin-overview");

  expect(problems).toEqual([]);
  await close();
}, 90_000);
