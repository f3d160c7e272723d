import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import postgres from "postgres";
import { namespace } from "../../src/kafka/topics.ts";
import { startShop, type RunningShop } from "../support/shop.ts";
import { untilTopicsAnswer } from "../support/topics.ts";
import { userNamespace } from "../support/userShop.ts";

const ROOT = join(import.meta.dir, "..", "..");

const names = namespace(userNamespace.KAFKA_TOPIC_PREFIX);
const sql = postgres(userNamespace.DATABASE_URL, { max: 2, onnotice: () => {} });
const admin = new Kafka({ clientId: "shop-tests", brokers: userNamespace.KAFKA_BROKERS, logLevel: logLevel.NOTHING }).admin();

let shop: RunningShop;
beforeAll(async () => {
  await admin.connect();
  shop = await startShop({ DATABASE_URL: userNamespace.DATABASE_URL, KAFKA_TOPIC_PREFIX: userNamespace.KAFKA_TOPIC_PREFIX }, "user-shop");
}, 120_000);
afterAll(async () => {
  expect(await shop?.stop()).toBe(0);
  await admin.disconnect();
  await sql.end();
});

/** The user's shop runs without SMTP_URL, so its notifier group never reads: only the worker's groups move. */
const subscriptions = names.subscriptions.filter((s) => s.group !== names.groups.notifier);

/** Everything of the user's shop that a test could disturb: its rows, its topics, its groups' progress. */
async function snapshot() {
  const [tables] = await sql`
    SELECT (SELECT count(*) FROM orders)::int AS orders, (SELECT max(updated_at) FROM orders) AS "lastOrderChange",
           (SELECT count(*) FROM dead_letters)::int AS "deadLetters", (SELECT sum(stock) FROM products)::int AS stock,
           (SELECT count(*) FROM products)::int AS products`;
  const topics = await Promise.all(Object.values(names.topics).map(async (topic) =>
    ({ topic, ends: (await admin.fetchTopicOffsets(topic)).map((p) => `${p.partition}:${p.high}`).sort() })));
  const groups = await Promise.all(subscriptions.map(async ({ group, topic }) =>
    ({ group, committed: (await admin.fetchOffsets({ groupId: group, topics: [topic] }))[0]!.partitions.map((p) => `${p.partition}:${p.offset}`).sort() })));
  return { tables, topics, groups };
}

/** Until the user's shop has worked off whatever its topics held when it started: then it is idle. */
async function caughtUp(timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const behind = await Promise.all(subscriptions.map(async ({ group, topic }) => {
      const [ends, [committed]] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId: group, topics: [topic] })]);
      const done = new Map(committed!.partitions.map((p) => [p.partition, Number(p.offset)]));
      return ends.some((p) => Number(p.high) > Number(p.low) && (done.get(p.partition) ?? -1) < Number(p.high));
    }));
    if (!behind.includes(true)) return;
    if (Date.now() > until) throw new Error("the user's shop did not catch up with its topics");
    await Bun.sleep(200);
  }
}

describe("namespaces", () => {
  test("a fault test run beside a user's shop leaves that shop's tables, topics, dead letters and groups exactly as they were", async () => {
    expect(userNamespace.KAFKA_TOPIC_PREFIX).not.toBe(process.env.KAFKA_TOPIC_PREFIX);
    expect(userNamespace.DATABASE_URL).not.toBe(process.env.DATABASE_URL);
    // The user's shop may just have made its topics (on a fresh broker, as in CI).
    await untilTopicsAnswer(admin, Object.values(names.topics));
    await caughtUp();
    const before = await snapshot();

    // 1,000 malformed messages and valid orders, in the test run's namespace, while the user's shop runs.
    const fault = Bun.spawn(["bun", "test", "--timeout", "120000", "test/faults/garbage.test.ts"], { cwd: ROOT, env: process.env, stdout: "pipe", stderr: "pipe" });
    const [code, out] = await Promise.all([fault.exited, new Response(fault.stderr).text()]);
    expect({ code, out: code === 0 ? "" : out }).toEqual({ code: 0, out: "" });

    expect(await snapshot()).toEqual(before);
    expect((await fetch(`${shop.url}/readyz`)).status).toBe(200);
  }, 180_000);
});
