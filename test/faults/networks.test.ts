import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import postgres from "postgres";
import { startTestCluster, type TestCluster } from "../support/cluster.ts";
import type { Sql } from "../support/db.ts";
import { expectInvariants } from "../support/invariants.ts";
import { endOffsets, topics, watch } from "../support/kafka.ts";
import { createProducts, placeOrders, randomCart } from "../support/load.ts";
import { freePorts } from "../../scripts/ports.ts";
import { startPrivatePostgres, type PrivatePostgres } from "../support/privatePostgres.ts";
import { startShop, whatItSays, type RunningShop } from "../support/shop.ts";
import { startToxiproxy, type Toxic, type Toxiproxy } from "../support/toxiproxy.ts";
import { watchUserShop, type UserShop } from "../support/userShop.ts";

const PER_SECOND = 300;
/**
 * Requests in flight at most. Bun's fetch holds 256 at once and queues the rest, so this leaves room
 * for the /readyz polls; when the shop answers slowly (the 5 s of a 503), fewer than PER_SECOND go out.
 */
const CONCURRENCY = 200;
/** Long enough for every probe of /readyz to have met the toxic several times; short, so that CI stays under its 20 minutes. */
const TOXIC_MS = 15_000;
/** Orders placed before the toxic, so that it lands on a shop at work. */
const WARM_MS = 3_000;
/** Orders placed after the toxic, so that the first ones accepted again show when the shop moves again. */
const AFTER_MS = 5_000;
/** Every order accepted must be final this long after the toxic is removed. */
const RECOVERY_MS = 60_000;
/** Progress stopped for longer than this must be told by /readyz (src/kafka/progress.ts STALL_MS). */
const STALL_MS = 30_000;
const EVENTS = [topics.placed, topics.rejected, topics.confirmed];

/** `blocks`: nothing can get through while it lasts, so /readyz must say 503 during it. */
const TOXICS: { name: string; toxic: Toxic; blocks: boolean }[] = [
  { name: "latency 300 ms ± 100", toxic: { type: "latency", attributes: { latency: 300, jitter: 100 } }, blocks: false },
  { name: "bandwidth 50 KB/s", toxic: { type: "bandwidth", attributes: { rate: 50 } }, blocks: false },
  { name: "reset_peer", toxic: { type: "reset_peer", attributes: { timeout: 0 } }, blocks: true },
  // A black hole: connections are accepted, nothing is answered, nothing is closed until it goes.
  { name: "timeout", toxic: { type: "timeout", attributes: { timeout: 0 } }, blocks: true },
  { name: "slicer", toxic: { type: "slicer", attributes: { average_size: 64, size_variation: 48, delay: 20 } }, blocks: false },
];

let toxiproxy: Toxiproxy;
let cluster: TestCluster;
let database: PrivatePostgres;
/** The test's own connection to its PostgreSQL, past the proxy. */
let db: Sql;
let shop: RunningShop;
let userShop: UserShop;
const report: string[] = [];

/** Stops whatever was started; also after a failed beforeAll, for which bun runs no afterAll. */
async function stopAll() {
  const code = await shop?.stop();
  await db?.end({ timeout: 5 });
  await Promise.all([cluster?.stop(), database?.remove(), toxiproxy?.stop()]);
  return code;
}

beforeAll(async () => {
  try {
    toxiproxy = await startToxiproxy();
    // The broker's own listener (where the test reads and the start is checked) and one for the shop,
    // advertised at the proxy's address: every connection the shop makes, metadata included, goes through it.
    [cluster, database] = await Promise.all([startTestCluster(1, {
      extraPorts: 2,
      properties: (node, [clientPort, proxyPort]) => `listeners=PLAINTEXT://127.0.0.1:${node.port},SHOP://127.0.0.1:${clientPort},CONTROLLER://127.0.0.1:${node.controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${node.port},SHOP://127.0.0.1:${proxyPort}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SHOP:PLAINTEXT,CONTROLLER:PLAINTEXT
`,
    }), startPrivatePostgres()]);
    const [clientPort, kafkaProxyPort] = cluster.extraPorts;
    await toxiproxy.proxy("kafka", kafkaProxyPort!, `127.0.0.1:${clientPort}`);
    db = postgres(database.url, { max: 4, onnotice: () => {} });
    const [postgresProxyPort] = await freePorts(1);
    await toxiproxy.proxy("postgres", postgresProxyPort!, `127.0.0.1:${database.port}`);
    const throughProxy = new URL(database.url);
    throughProxy.port = String(postgresProxyPort);
    shop = await startShop({ KAFKA_BROKERS: `127.0.0.1:${kafkaProxyPort}`, DATABASE_URL: throughProxy.href }, "networks");
    userShop = await watchUserShop();
  } catch (error) {
    await stopAll();
    throw error;
  }
}, 300_000);

afterAll(async () => {
  try {
    const code = await stopAll();
    console.log([`slow and broken networks, ${PER_SECOND} orders/s, each toxic for ${TOXIC_MS / 1000} s:`, ...report].join("\n  "));
    expect(code).toBe(0);
  } finally {
    await userShop?.expectAlwaysReady();
  }
}, 60_000);

type Poll = { at: number; status: number };

/** /readyz every 250 ms, as a load balancer would ask it, until stopped; 0 for no answer within 3 s. */
function pollReadiness(url: string) {
  const polls: Poll[] = [];
  let polling = true;
  const done = (async () => {
    while (polling) {
      const at = Date.now();
      const status = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(3_000) })
        .then(async (r) => { await r.arrayBuffer(); return r.status; }, () => 0);
      polls.push({ at, status });
      await Bun.sleep(250);
    }
  })();
  return { polls, async stop() { polling = false; await done; } };
}

/** When each of `orders` reached its final status, by the database's clock (this machine's), in order. */
async function finishedAt(orders: string[]): Promise<number[]> {
  const rows = await db<{ at: Date }[]>`
    SELECT updated_at AS at FROM orders WHERE id = ANY(${orders}::uuid[]) AND status IN ('confirmed', 'rejected') ORDER BY updated_at`;
  return rows.map((r) => r.at.getTime());
}

/** Spans longer than STALL_MS, from `from` on, in which no order became final: progress was impossible. */
function stalls(from: number, finished: number[]): [number, number][] {
  const spans: [number, number][] = [];
  let last = from;
  for (const at of finished) {
    if (at - last > STALL_MS) spans.push([last, at]);
    last = Math.max(last, at);
  }
  return spans;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

type Link = "kafka" | "postgres";
const LINK_NAMES: Record<Link, string> = { kafka: "Kafka", postgres: "PostgreSQL" };

/**
 * A toxic that slows holds both links at once, as a slow network does. One that blocks holds each
 * link alone, since they fail differently: with Kafka cut off the API answers 503, with PostgreSQL
 * cut off orders are still accepted and pile up for the consumers. Seven runs, not ten: CI stays short.
 */
const CASES = TOXICS.flatMap((t) => (t.blocks ? (["kafka", "postgres"] as const).map((link) => [link]) : [["kafka", "postgres"] as const])
  .map((links) => ({ ...t, links: links as readonly Link[], where: links.map((l) => LINK_NAMES[l]).join(" and ") })));

describe(`faults: slow and broken networks between the shop and Kafka or PostgreSQL, ${PER_SECOND} orders/s`, () => {
  for (const { name, toxic, blocks, links, where } of CASES) {
    test(`${name} on ${where} for ${TOXIC_MS / 1000} s: every 202 final within ${RECOVERY_MS / 1000} s of its removal, nothing lost, duplicated or oversold; /readyz 503 while nothing moves, 200 after`, async () => {
      const products = await createProducts(8, 6_000, db);
      const from = await endOffsets(EVENTS, cluster.client());
      const readiness = pollReadiness(shop.url);
      const started = Date.now();
      const cart = () => randomCart([...products.keys()]);
      const place = (deadline: number) => placeOrders({ urls: () => [shop.url], count: Infinity, concurrency: CONCURRENCY, perSecond: PER_SECOND, deadline, cart });
      const during = place(started + WARM_MS + TOXIC_MS);
      await Bun.sleep(WARM_MS);
      const cure = await toxiproxy.poison(links, toxic.type, toxic);
      const poisonedAt = Date.now();
      await Bun.sleep(TOXIC_MS);
      await cure();
      const removedAt = Date.now();
      const after = await place(removedAt + AFTER_MS);
      const before = await during;
      const accepted = [...before.accepted, ...after.accepted];
      const answers: Record<string, number> = { ...before.answers };
      for (const [status, n] of Object.entries(after.answers)) answers[status] = (answers[status] ?? 0) + n;

      const watcher = await watch(EVENTS, from, cluster.client());
      try {
        await expectInvariants({ accepted, products, watcher, timeoutMs: RECOVERY_MS, db });
        const finished = await finishedAt(accepted);
        const lastFinal = Math.max(finished.at(-1) ?? removedAt, removedAt);
        // The orders accepted up to the removal, all final: the shop has caught up.
        const caughtUp = Math.max((await finishedAt(before.accepted)).at(-1) ?? removedAt, removedAt);
        // Ready again, and staying so: a second of polls after the last order became final, the last one 200.
        const { polls } = readiness;
        while (!(polls.some((p) => p.at > lastFinal + 1_000) && polls.at(-1)!.status === 200) && Date.now() < removedAt + RECOVERY_MS) await Bun.sleep(250);
        await readiness.stop();

        const afterRemoval = polls.filter((p) => p.at >= removedAt);
        const lastUnready = afterRemoval.findLast((p) => p.status !== 200);
        const readyAgain = lastUnready ? afterRemoval.find((p) => p.at > lastUnready.at)?.at : afterRemoval[0]!.at;
        const spans = stalls(started, finished);
        const count = (status: number) => polls.filter((p) => p.status === status).length;
        const others = Object.keys(answers).filter((status) => status !== "202" && status !== "503");
        report.push(`${where} ${name}: ${answers["202"] ?? 0} × 202, ${answers["503"] ?? 0} × 503${others.length ? ` (all: ${JSON.stringify(answers)})` : ""}; `
          + (readyAgain === undefined ? `/readyz not 200 again within ${seconds(RECOVERY_MS)} (` : `recovered ${seconds(Math.max(readyAgain, caughtUp) - removedAt)} after the removal (/readyz 200 again after ${seconds(readyAgain - removedAt)}, `)
          + `every order accepted until then final after ${seconds(caughtUp - removedAt)}); /readyz 503 at ${count(503)} and silent at ${count(0)} of ${polls.length} polls; `
          + `longest time with no order final ${seconds(Math.max(0, ...spans.map(([a, b]) => b - a)))}`);
        console.log(report.at(-1));

        expect(others).toEqual([]);
        expect(lastFinal - removedAt).toBeLessThanOrEqual(RECOVERY_MS);
        expect(readyAgain).toBeDefined();
        if (blocks) expect(polls.some((p) => p.at > poisonedAt && p.at < removedAt && p.status === 503)).toBe(true);
        // Wherever nothing moved for longer than STALL_MS, /readyz said so.
        const untold = spans.filter(([a, b]) => !polls.some((p) => p.at > a && p.at < b && p.status === 503));
        expect(untold.map(([a, b]) => `${new Date(a).toISOString()} to ${new Date(b).toISOString()}`)).toEqual([]);
      } catch (error) {
        console.log(await whatItSays(shop));
        throw error;
      } finally {
        await readiness.stop();
        await watcher.stop();
      }
    }, WARM_MS + TOXIC_MS + AFTER_MS + 4 * RECOVERY_MS + 30_000);
  }
});
