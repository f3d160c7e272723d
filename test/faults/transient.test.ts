import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import postgres from "postgres";
import type { Sql } from "../support/db.ts";
import { expectInvariants } from "../support/invariants.ts";
import { groups, topics, watch } from "../support/kafka.ts";
import { createProducts, placeOrders, randomCart } from "../support/load.ts";
import { startPrivatePostgres, type PrivatePostgres } from "../support/privatePostgres.ts";
import { startShop, type RunningShop } from "../support/shop.ts";
import { watchUserShop, type UserShop } from "../support/userShop.ts";
import { launchBrowser, openShopper, screenshots } from "../e2e/browser.ts";

const OUTAGE_MS = 40_000;
const STALLED = `consumer ${groups.commands} stalled (postgres_unavailable)`;
const ADMIN_TOKEN = `admin-${crypto.randomUUID()}`;

let userShop: UserShop;
// A PostgreSQL server of this file's own, which the test stops; Kafka is the run's, which it does not.
let server: PrivatePostgres;
let db: Sql;
let shop: RunningShop;

beforeAll(async () => {
  server = await startPrivatePostgres();
  db = postgres(server.url, { max: 4, onnotice: () => {} });
  shop = await startShop({ ADMIN_TOKEN, DATABASE_URL: server.url }, "transient");
  userShop = await watchUserShop();
}, 180_000);

afterAll(async () => {
  try {
    const code = await shop?.stop();
    await db?.end();
    await server?.remove();
    expect(code).toBe(0);
  } finally {
    await userShop?.expectAlwaysReady();
  }
}, 120_000);

/** The sum of every series of a counter. */
const total = (metrics: string, name: string) =>
  metrics.split("\n").filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `)).reduce((sum, l) => sum + Number(l.split(" ").at(-1)), 0);

async function readyz(): Promise<{ status: number; text: string }> {
  const response = await fetch(`${shop.url}/readyz`);
  return { status: response.status, text: await response.text() };
}

describe("faults: a transient failure stays transient", () => {
  test(`PostgreSQL stopped for ${OUTAGE_MS / 1000} s under load: /readyz names the stalled consumer, nothing is dead-lettered, everything completes after the restart`, async () => {
    const products = await createProducts(6, 1_000, db);
    const watcher = await watch([topics.placed, topics.rejected, topics.confirmed, topics.dlq]);
    const deadBefore = total(await (await fetch(`${shop.url}/metrics`)).text(), "shop_messages_dead_lettered_total");
    const load = placeOrders({ urls: () => [shop.url], count: 1_000_000, concurrency: 4, perSecond: 40, deadline: Date.now() + 2_000 + OUTAGE_MS + 8_000, cart: () => randomCart([...products.keys()]) });

    await Bun.sleep(2_000);
    await server.stop();
    const stoppedAt = Date.now();

    // Stalled after 30 s of holding commands without a commit: reported while the database is still down.
    let seen = await readyz();
    while (!seen.text.includes(STALLED) && Date.now() - stoppedAt < OUTAGE_MS) {
      await Bun.sleep(500);
      seen = await readyz();
    }
    expect(seen.status).toBe(503);
    expect(seen.text).toContain(STALLED);
    const metrics = await (await fetch(`${shop.url}/metrics`)).text();
    expect(metrics).toContain(`\nshop_consumer_stalled{group="${groups.commands}"} 1\n`);
    console.log(`stalled consumer reported ${Date.now() - stoppedAt} ms after PostgreSQL stopped`);

    // The operations page, with PostgreSQL still down: no counts, the stalled consumer in red with its error.
    const overview = await (await fetch(`${shop.url}/api/admin/overview`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json();
    expect(overview).toMatchObject({ ordersByStatus: null, ordersPerSecond: null, deadLetters: null });
    expect(overview.stalledConsumers).toContainEqual(expect.objectContaining({ group: groups.commands, lastError: expect.objectContaining({ class: "postgres_unavailable", transient: true }) }));
    const browser = await launchBrowser();
    try {
      const { page, problems, close } = await openShopper(browser, shop.url);
      await page.goto("/admin");
      await page.getByLabel("Admin token").fill(ADMIN_TOKEN);
      await page.getByRole("button", { name: "Open the operations page" }).click();
      const stalled = page.locator(`.stalled-consumers [data-stalled-group="${groups.commands}"]`);
      await stalled.waitFor();
      expect(await stalled.textContent()).toContain("postgres_unavailable");
      // In the page's colour for what is wrong.
      const [border, bad] = await page.locator(".stalled-consumers").evaluate((e) => {
        const probe = document.body.appendChild(document.createElement("i"));
        probe.style.color = "var(--bad)";
        return [getComputedStyle(e).borderTopColor, getComputedStyle(probe).color];
      });
      expect(border).toBe(bad!);
      await page.getByText("PostgreSQL did not answer in time").waitFor();
      await screenshots(page, "admin-stalled");
      expect(problems).toEqual([]);
      await close();
    } finally {
      await browser.close();
    }

    await Bun.sleep(Math.max(0, stoppedAt + OUTAGE_MS - Date.now()));
    await server.start();
    const { accepted, answers } = await load;
    console.log(`postgres down ${OUTAGE_MS / 1000} s: ${accepted.length} accepted, answers ${JSON.stringify(answers)}`);
    expect(accepted.length).toBeGreaterThan(100);

    await expectInvariants({ accepted, products, watcher, db });
    for (let until = Date.now() + 30_000; (seen = await readyz()).status !== 200 && Date.now() < until;) await Bun.sleep(500);
    expect(seen).toEqual({ status: 200, text: JSON.stringify({ status: "ready" }) });

    const ids = new Set(accepted);
    expect(watcher.seen.filter((m) => m.topic === topics.dlq && ids.has(m.key!))).toEqual([]);
    expect(total(await (await fetch(`${shop.url}/metrics`)).text(), "shop_messages_dead_lettered_total")).toBe(deadBefore);
    await watcher.stop();
  }, 240_000);
});
