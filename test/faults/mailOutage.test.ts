import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "../support/db.ts";
import { namespace } from "../../src/kafka/topics.ts";
import { deleteTopics } from "../support/kafka.ts";
import { createProducts, placeOrders, randomCart } from "../support/load.ts";
import { startMailpit, type Mailpit } from "../support/mailpit.ts";
import { startShop, whatItSays, type RunningShop } from "../support/shop.ts";

const ADMIN_TOKEN = `admin-${crypto.randomUUID()}`;
// Topics and groups of this file's own, so its notifier mails its orders and no others.
const { prefix, topics, groups } = namespace(`${process.env.KAFKA_TOPIC_PREFIX ?? ""}mail-outage-${crypto.randomUUID().slice(0, 8)}.`);
let mailpit: Mailpit;
let shop: RunningShop;

beforeAll(async () => {
  // As a receiving server may, it drops a mail whose Message-ID it has: one the notifier sent again
  // because the server went away before its answer arrived.
  mailpit = await startMailpit({ ignoreDuplicateIds: true });
  shop = await startShop({ ADMIN_TOKEN, SMTP_URL: mailpit.smtpUrl, KAFKA_TOPIC_PREFIX: prefix }, "mail-outage");
}, 120_000);
afterAll(async () => {
  expect(await shop?.stop()).toBe(0);
  await mailpit?.close();
  await deleteTopics(Object.values(topics));
}, 30_000);

const confirmedAmong = async (ids: string[]) =>
  (await sql`SELECT count(*)::int AS n FROM orders WHERE id = ANY(${ids}::uuid[]) AND status = 'confirmed'`)[0]!.n as number;
const mailed = async (ids: string[]) =>
  (await sql`SELECT count(*)::int AS n FROM notifications WHERE order_id = ANY(${ids}::uuid[]) AND kind = 'confirmed' AND status = 'sent'`)[0]!.n as number;
const notifierStalled = async () =>
  (await (await fetch(`${shop.url}/metrics`)).text()).includes(`\nshop_consumer_stalled{group="${groups.notifier}"} 1\n`);

describe("faults: the SMTP server down", () => {
  test("Mailpit stopped for 30 s under 100 orders/s: orders confirmed and /readyz 200 throughout, the notifier reported stalled, every mail once after it returns", async () => {
    const products = [...(await createProducts(8, 100_000)).keys()];
    const load = placeOrders({
      urls: () => [shop.url], count: 4_500, concurrency: 8, perSecond: 100, deadline: Date.now() + 45_000, cart: () => randomCart(products),
    });
    const accepted = () => load.then((r) => r.accepted);
    await Bun.sleep(5_000);

    await mailpit.stop();
    const down = Date.now();
    const readiness: number[] = [];
    const confirmedAtStop = (await sql`SELECT count(*)::int AS n FROM orders WHERE status = 'confirmed'`)[0]!.n as number;
    let stalledSeen = false;
    let shownStalled = false;
    let pendingSeen = 0;
    // At least 30 s, and until the notifier is reported stalled (30 s without a commit while mail waits).
    while (Date.now() - down < 30_000 || (!stalledSeen && Date.now() - down < 45_000)) {
      readiness.push((await fetch(`${shop.url}/readyz`)).status);
      stalledSeen ||= await notifierStalled();
      const overview = await (await fetch(`${shop.url}/api/admin/overview`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json();
      pendingSeen = Math.max(pendingSeen, overview.mails.pending ?? 0);
      shownStalled ||= overview.mails.stalled;
      await Bun.sleep(1_000);
    }
    const confirmedDuring = ((await sql`SELECT count(*)::int AS n FROM orders WHERE status = 'confirmed'`)[0]!.n as number) - confirmedAtStop;
    const outageSeconds = (Date.now() - down) / 1000;
    await mailpit.start();

    expect(readiness.filter((s) => s !== 200)).toEqual([]);
    // In /metrics and on the operations page.
    expect({ stalledSeen, shownStalled }).toEqual({ stalledSeen: true, shownStalled: true });
    expect(pendingSeen).toBeGreaterThan(1_000);
    // About 100 a second were confirmed while the mails waited.
    expect(confirmedDuring).toBeGreaterThan(outageSeconds * 60);

    const ids = await accepted();
    expect(ids.length).toBeGreaterThan(3_500);
    for (const until = Date.now() + 60_000; (await confirmedAmong(ids)) < ids.length || (await mailed(ids)) < ids.length; await Bun.sleep(500)) {
      if (Date.now() > until) throw new Error(`${await mailed(ids)} of ${ids.length} mailed within 60 s of Mailpit's return\n${await whatItSays(shop)}`);
    }
    // Every order's confirmation, once: Mailpit holds exactly as many as were recorded sent.
    expect(await mailpit.total()).toBe(ids.length);
    expect(await notifierStalled()).toBe(false);
  }, 180_000);
});
