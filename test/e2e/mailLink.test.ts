import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { namespace } from "../../src/kafka/topics.ts";
import { session, shippingAddress } from "../support/http.ts";
import { deleteTopics } from "../support/kafka.ts";
import { startMailpit, type Mailpit } from "../support/mailpit.ts";
import { freePorts } from "../../scripts/ports.ts";
import { startShop, type RunningShop } from "../support/shop.ts";
import { hydration, launchBrowser, openShopper, PHONE, WATCH_HYDRATION } from "./browser.ts";
import { orderStatusIs, testProducts } from "./storefront.ts";

const products = testProducts("mail-link");
const { prefix, topics } = namespace(`${process.env.KAFKA_TOPIC_PREFIX ?? ""}mail-link-${crypto.randomUUID().slice(0, 8)}.`);
let mailpit: Mailpit;
let shop: RunningShop;
let browser: Browser;

beforeAll(async () => {
  const [port] = await freePorts(1);
  mailpit = await startMailpit();
  // The links in mails point at this shop, as SHOP_URL would at a real one.
  [shop, browser] = await Promise.all([
    startShop({ PORT: String(port), SHOP_URL: `http://127.0.0.1:${port}`, SMTP_URL: mailpit.smtpUrl, KAFKA_TOPIC_PREFIX: prefix }, "e2e-mail-link"),
    launchBrowser(),
  ]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await shop?.stop();
  await mailpit?.close();
  await products.removeAll();
  await deleteTopics(Object.values(topics));
}, 30_000);

test("the confirmation mail's link opens the order, rendered on the server and hydrated as sent, on a phone that never saw it, whose customer cancels it there; a changed link opens nothing", async () => {
  const kettle = await products.create("Gooseneck Kettle", { stock: 5, priceCents: 5400 });
  const email = `grace-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const placed = await session(shop.url).postOrder({ customer: { name: "Grace Hopper", email }, shippingAddress, items: [{ productId: kettle.id, quantity: 2 }] });
  expect(placed.status).toBe(202);
  const { id } = await placed.json();

  const [mail] = await mailpit.waitFor(email);
  const link = /See your order: (\S+)/.exec((await mailpit.message(mail!.ID)).Text)![1]!;
  expect(link.startsWith(`${shop.url}/orders/${id}?token=`)).toBe(true);

  const phone = await openShopper(browser, shop.url, { viewport: PHONE, isMobile: true, hasTouch: true });
  const messages: string[] = [];
  phone.page.on("console", (message) => { if (message.type() === "error" || message.type() === "warning") messages.push(message.text()); });
  const asked: string[] = [];
  phone.page.on("request", (request) => { if (new URL(request.url()).pathname === `/api/orders/${id}`) asked.push(request.method()); });
  await phone.page.addInitScript(WATCH_HYDRATION);
  // Once hydrated, the page follows the order live, from the order the server rendered it with.
  const following = phone.page.waitForRequest((request) => request.url().endsWith(`/api/orders/${id}/events`));
  const opened = await phone.page.goto(link);
  expect(await opened!.text()).toContain(kettle.name);
  await following;
  await orderStatusIs(phone.page, "confirmed");
  expect(await hydration(phone.page)).toEqual({ removed: 0, sameHeading: true, sameButton: true });
  expect(asked).toEqual([]);
  await phone.page.getByTestId("order-total").filter({ hasText: "$108.00" }).waitFor();
  await phone.page.getByText(kettle.name).waitFor();
  await phone.page.getByRole("button", { name: "Cancel order" }).tap();
  await phone.page.getByRole("button", { name: "Yes, cancel the order" }).tap();
  await orderStatusIs(phone.page, "cancelled");
  expect(phone.problems).toEqual([]);
  expect(messages).toEqual([]);

  // One character of the signature changed: the page says the link opens nothing, and shows no items.
  const changed = link.slice(0, -1) + (link.endsWith("A") ? "B" : "A");
  const stranger = await openShopper(browser, shop.url);
  expect(await (await stranger.page.goto(changed))!.text()).not.toContain(kettle.name);
  await stranger.page.getByText("This link does not open this order").waitFor();
  expect(await stranger.page.getByText(kettle.name).count()).toBe(0);
  await Promise.all([phone.close(), stranger.close()]);
}, 60_000);
