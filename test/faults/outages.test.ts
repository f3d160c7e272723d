import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Kafka } from "kafkajs";
import postgres from "postgres";
import { startTestCluster, type TestCluster } from "../support/cluster.ts";
import type { Sql } from "../support/db.ts";
import { expectInvariants } from "../support/invariants.ts";
import { endOffsets, topics, watch } from "../support/kafka.ts";
import { createProducts, placeOrders, randomCart } from "../support/load.ts";
import { startPrivatePostgres, type PrivatePostgres } from "../support/privatePostgres.ts";
import { startShop, type RunningShop } from "../support/shop.ts";
import { watchUserShop, type UserShop } from "../support/userShop.ts";

const TOPICS = [topics.placed, topics.rejected, topics.confirmed];
let userShop: UserShop;
// A Kafka broker and a PostgreSQL server of this file's own, which its tests stop and start in turn.
let cluster: TestCluster;
let server: PrivatePostgres;
let kafka: Kafka;
let db: Sql;
let shop: RunningShop;

beforeAll(async () => {
  [cluster, server] = await Promise.all([startTestCluster(1), startPrivatePostgres()]);
  kafka = cluster.client();
  db = postgres(server.url, { max: 4, onnotice: () => {} });
  shop = await startShop({ KAFKA_BROKERS: cluster.brokers.join(","), DATABASE_URL: server.url }, "outage");
  userShop = await watchUserShop();
}, 180_000);

afterAll(async () => {
  try {
    const code = await shop?.stop();
    await db?.end();
    await Promise.all([cluster?.stop(), server?.remove()]);
    expect(code).toBe(0);
  } finally {
    await userShop?.expectAlwaysReady();
  }
}, 120_000);

function untilStopped() {
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => { stop = resolve; });
  return { stop, stopped };
}

describe("faults: the services restarting under load", () => {
  test("the Kafka broker stopped and restarted: 503 (never 202) while it is down, nothing lost after", async () => {
    const products = await createProducts(6, 400, db);
    const from = await endOffsets(TOPICS, kafka);
    const before = await placeOrders({ urls: () => [shop.url], count: 200, concurrency: 4, perSecond: 100, deadline: Date.now() + 60_000, cart: () => randomCart([...products.keys()]) });

    await cluster.stopNode(cluster.nodes[0]!);
    const during = await placeOrders({ urls: () => [shop.url], count: 20, concurrency: 4, deadline: Date.now() + 12_000, cart: () => randomCart([...products.keys()]) });
    expect(during.answers["202"] ?? 0).toBe(0);
    expect(during.answers["503"]).toBeGreaterThan(0);
    await cluster.restart(cluster.nodes[0]!);

    const after = await placeOrders({ urls: () => [shop.url], count: 200, concurrency: 4, perSecond: 100, deadline: Date.now() + 90_000, cart: () => randomCart([...products.keys()]) });
    expect(after.accepted.length).toBeGreaterThanOrEqual(200);
    // Read after the outage, from where the topics ended before it: the broker's restart cannot
    // make the test's own consumer miss anything.
    const watcher = await watch(TOPICS, from, kafka);
    await expectInvariants({ accepted: [...before.accepted, ...after.accepted], products, watcher, db });
    await watcher.stop();
  }, 240_000);

  test("PostgreSQL stopped and restarted under load: consumers retry, nothing skipped or lost", async () => {
    const products = await createProducts(6, 400, db);
    const watcher = await watch(TOPICS, undefined, kafka);
    const { stop, stopped } = untilStopped();
    const load = placeOrders({ urls: () => [shop.url], count: 1_500, concurrency: 4, perSecond: 100, deadline: Date.now() + 60_000, cart: () => randomCart([...products.keys()]) });
    load.finally(stop);
    await Bun.sleep(2_000);
    await server.stop();
    await Bun.sleep(4_000);
    await server.start();
    await stopped;
    const { accepted, answers } = await load;
    console.log(`postgres restart: ${accepted.length} accepted, answers ${JSON.stringify(answers)}`);
    expect(accepted.length).toBeGreaterThan(500);
    await expectInvariants({ accepted, products, watcher, db });
    await watcher.stop();
  }, 240_000);
});
