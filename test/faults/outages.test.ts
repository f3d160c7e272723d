import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { expectInvariants } from "../support/invariants.ts";
import { endOffsets, topics, watch } from "../support/kafka.ts";
import { createProducts, placeOrders, randomCart } from "../support/load.ts";
import { restartable, startService, stopService } from "../support/services.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

const TOPICS = [topics.placed, topics.rejected, topics.confirmed];
let shop: RunningShop;

beforeAll(async () => { shop = await startShop({}, "outage"); });
afterAll(async () => { expect(await shop?.stop()).toBe(0); });

function untilStopped() {
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => { stop = resolve; });
  return { stop, stopped };
}

describe("faults: the services restarting under load", () => {
  test.skipIf(!restartable("kafka"))("the Kafka broker stopped and restarted: 503 (never 202) while it is down, nothing lost after", async () => {
    const products = await createProducts(6, 400);
    const from = await endOffsets(TOPICS);
    const before = await placeOrders({ urls: () => [shop.url], count: 200, concurrency: 4, perSecond: 100, deadline: Date.now() + 60_000, cart: () => randomCart([...products.keys()]) });

    await stopService("kafka");
    const during = await placeOrders({ urls: () => [shop.url], count: 20, concurrency: 4, deadline: Date.now() + 12_000, cart: () => randomCart([...products.keys()]) });
    expect(during.answers["202"] ?? 0).toBe(0);
    expect(during.answers["503"]).toBeGreaterThan(0);
    await startService();

    const after = await placeOrders({ urls: () => [shop.url], count: 200, concurrency: 4, perSecond: 100, deadline: Date.now() + 90_000, cart: () => randomCart([...products.keys()]) });
    expect(after.accepted.length).toBeGreaterThanOrEqual(200);
    // Read after the outage, from where the topics ended before it: the broker's restart cannot
    // make the test's own consumer miss anything.
    const watcher = await watch(TOPICS, from);
    await expectInvariants({ accepted: [...before.accepted, ...after.accepted], products, watcher });
    await watcher.stop();
  }, 240_000);

  test.skipIf(!restartable("postgres"))("PostgreSQL stopped and restarted under load: consumers retry, nothing skipped or lost", async () => {
    const products = await createProducts(6, 400);
    const watcher = await watch(TOPICS);
    const { stop, stopped } = untilStopped();
    const load = placeOrders({ urls: () => [shop.url], count: 1_500, concurrency: 4, perSecond: 100, deadline: Date.now() + 60_000, cart: () => randomCart([...products.keys()]) });
    load.finally(stop);
    await Bun.sleep(2_000);
    await stopService("postgres");
    await Bun.sleep(4_000);
    await startService();
    await stopped;
    const { accepted, answers } = await load;
    console.log(`postgres restart: ${accepted.length} accepted, answers ${JSON.stringify(answers)}`);
    expect(accepted.length).toBeGreaterThan(500);
    await expectInvariants({ accepted, products, watcher });
    await watcher.stop();
  }, 240_000);
});
