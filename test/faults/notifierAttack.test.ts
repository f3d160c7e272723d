import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { namespace } from "../../src/kafka/topics.ts";
import { envelope } from "../../src/orders/envelope.ts";
import { oddText } from "../support/arbitraries.ts";
import { createProduct, sql } from "../support/db.ts";
import { deleteTopics, kafka, produce, stopProducing, watch, type Watcher } from "../support/kafka.ts";
import { startMailpit, type Mailpit } from "../support/mailpit.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

/**
 * The generated attack on the notifier: hostile OrderConfirmed, OrderRejected, OrderCancelled and
 * OrderShipped events written straight to the topics it reads, as any producer of them may, for
 * orders that exist and orders that do not. Each must end as the mail it asks for, recorded once
 * per order and kind, or on orders.dlq; Mailpit must hold no mail twice. The seed is fixed; FC_SEED
 * replays another, and a failure prints what to replay.
 */
const SEED = Number(process.env.FC_SEED ?? 20261208);
const HOSTILE = 200;
const SETTLED_WITHIN_MS = 60_000;
const KINDS: Record<string, string> = { OrderConfirmed: "confirmed", OrderRejected: "rejected", OrderCancelled: "cancelled", OrderShipped: "shipped" };

// Topics and groups of this file's own, as the mail tests have: the notifier reads only its events.
const { prefix, topics, groups } = namespace(`${process.env.KAFKA_TOPIC_PREFIX ?? ""}notifier-attack-${crypto.randomUUID().slice(0, 8)}.`);
const TOPIC_OF: Record<string, string> = { OrderConfirmed: topics.confirmed, OrderRejected: topics.rejected, OrderCancelled: topics.cancelled, OrderShipped: topics.shipped };
let mailpit: Mailpit;
let shop: RunningShop;
let watcher: Watcher;
/** Orders confirmed before the attack, whose events the attack may send again, changed. */
let targets: string[] = [];

beforeAll(async () => {
  mailpit = await startMailpit({ allowedRecipients: "@example\\.com$" });
  shop = await startShop({ SMTP_URL: mailpit.smtpUrl, SMTP_FROM: "Shop <orders@shop.example>", KAFKA_TOPIC_PREFIX: prefix }, "notifier-attack");
  watcher = await watch([topics.confirmed, topics.dlq]);
}, 120_000);
afterAll(async () => {
  await stopProducing();
  await watcher?.stop();
  expect(await shop?.stop()).toBe(0);
  await mailpit?.close();
  await deleteTopics(Object.values(topics));
}, 30_000);

type Hostile = { kind: string; topic: string; key: string | null; value: string; headers: Record<string, string>; orderId?: string; mail?: string };
type Sent = Hostile & { partition: number; offset: string };

const uuid = fc.uuid({ version: 4 });
const anyOrder = () => fc.oneof(fc.constantFrom(...targets), uuid);

const event = (kind: string, type: string, data: fc.Arbitrary<unknown>, key?: fc.Arbitrary<string | null>) =>
  fc.tuple(uuid, anyOrder(), data, key ?? fc.constant(undefined)).map(([id, orderId, d, k]): Hostile => ({
    kind, topic: TOPIC_OF[type]!, key: k === undefined ? orderId : k, value: JSON.stringify(envelope(type, orderId, d, id)),
    headers: { type, "correlation-id": `attack-${id}` }, orderId, mail: KINDS[type],
  }));

const hostile = (): fc.Arbitrary<Hostile> => fc.oneof(
  event("OrderConfirmed", "OrderConfirmed", fc.oneof(fc.constant({}), fc.jsonValue())),
  event("OrderRejected", "OrderRejected", fc.record({ reason: fc.oneof(fc.constantFrom("out_of_stock", "unknown_product", "invalid_order"), oddText) })),
  event("OrderCancelled", "OrderCancelled", fc.record({
    by: fc.oneof(fc.constantFrom("customer", "admin"), oddText), reason: oddText,
    returned: fc.oneof(fc.array(fc.record({ productId: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), oddText), quantity: fc.oneof(fc.nat(), fc.jsonValue()) }), { maxLength: 3 }), fc.jsonValue()),
  }, { requiredKeys: ["by", "returned"] })),
  event("OrderShipped", "OrderShipped", fc.record({ carrier: fc.oneof(fc.constantFrom("DHL", "UPS"), oddText), trackingNumber: fc.oneof(fc.stringMatching(/^[A-Z0-9]{6,20}$/), oddText) }, { requiredKeys: [] })),
  event("an event under another key", "OrderShipped", fc.constant({ carrier: "DHL", trackingNumber: "TRACK123" }), fc.oneof(uuid, fc.constant(null))),
  fc.tuple(uuid, anyOrder(), fc.constantFrom(...Object.keys(KINDS)), fc.oneof(fc.constantFrom(0, 2, "1", null), fc.string())).map(([id, orderId, type, version]): Hostile => ({
    kind: "unknown version", topic: TOPIC_OF[type]!, key: orderId, value: JSON.stringify({ ...envelope(type, orderId, {}, id), version }), headers: { type },
  })),
  fc.tuple(anyOrder(), fc.constantFrom(...Object.keys(KINDS)), fc.oneof(fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b).toString("latin1")), fc.jsonValue().map((j) => JSON.stringify(j) ?? "")))
    .map(([orderId, type, value]): Hostile => ({ kind: "not an envelope", topic: TOPIC_OF[type]!, key: orderId, value, headers: { type } })),
);

/** Waits until the group has committed every message of `topicNames` written so far: it was held up by none. */
async function caughtUp(groupId: string, topicNames: string[], timeoutMs: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const until = Date.now() + timeoutMs; ;) {
      const ends = new Map((await Promise.all(topicNames.map(async (topic) => (await admin.fetchTopicOffsets(topic)).map((p) => [`${topic}/${p.partition}`, Number(p.high)] as const)))).flat());
      const committed = (await admin.fetchOffsets({ groupId, topics: topicNames })).flatMap(({ topic, partitions }) => partitions.map((p) => [`${topic}/${p.partition}`, Number(p.offset)] as const));
      const behind = committed.filter(([where, offset]) => offset < ends.get(where)! && !(offset === -1 && ends.get(where) === 0)).map(([where, offset]) => `${where} at ${offset} of ${ends.get(where)}`);
      if (behind.length === 0) return;
      if (Date.now() > until) throw new Error(`seed ${SEED}: ${groupId} still behind after ${timeoutMs} ms: ${behind.join(", ")} (replay: FC_SEED=${SEED})`);
      await Bun.sleep(250);
    }
  } finally {
    await admin.disconnect();
  }
}

const coordinates = (topic: string, partition: number | string, offset: string) => `${topic}/${partition}/${offset}`;
const preview = (m: Hostile) => `${m.kind} → ${m.topic} key=${JSON.stringify(m.key?.slice(0, 60))} ${JSON.stringify(m.value.slice(0, 200))}${m.value.length > 200 ? `… (${m.value.length} chars)` : ""}`;

describe("faults: a generated attack on the notifier", () => {
  test(`${HOSTILE} hostile events for orders that exist and orders that do not: none holds the notifier up, and each ends as its mail, recorded once per order and kind, or as a dead letter`, async () => {
    const productId = await createProduct({ stock: 1_000 });
    targets = Array.from({ length: 4 }, () => crypto.randomUUID());
    for (const id of targets) {
      const value = JSON.stringify(envelope("PlaceOrder", id, { customer: { name: "Attack", email: `attack-${id.slice(0, 8)}@example.com` }, items: [{ productId, quantity: 1 }] }));
      await produce(topics.commands, [{ key: id, value, headers: { type: "PlaceOrder" } }]);
    }
    await watcher.until((seen) => targets.every((id) => seen.some((m) => m.topic === topics.confirmed && m.key === id)), 30_000, "the attack's target orders confirmed");

    const sent: Sent[] = [];
    for (const m of fc.sample(hostile(), { seed: SEED, numRuns: HOSTILE })) {
      const [meta] = await produce(m.topic, [{ key: m.key, value: m.value, headers: m.headers }]);
      sent.push({ ...m, partition: meta!.partition, offset: meta!.baseOffset! });
    }

    await caughtUp(groups.notifier, Object.values(TOPIC_OF), SETTLED_WITHIN_MS);
    const unsettled = async () => {
      const dead = new Map(watcher.seen.filter((m) => m.topic === topics.dlq).map((m) => [
        coordinates(m.headers["dlq-source-topic"]!, m.headers["dlq-source-partition"]!, m.headers["dlq-source-offset"]!), m]));
      const mailed = new Set((await sql<{ key: string }[]>`
        SELECT order_id::text || ' ' || kind AS key FROM notifications WHERE order_id = ANY(${targets}::uuid[])`).map((r) => r.key));
      const settled = (m: Sent) => dead.has(coordinates(m.topic, m.partition, m.offset)) || (m.mail !== undefined && mailed.has(`${m.orderId} ${m.mail}`));
      return { dead, open: sent.filter((m) => !settled(m)) };
    };
    let state = await unsettled();
    for (const until = Date.now() + SETTLED_WITHIN_MS; state.open.length > 0 && Date.now() < until; state = await unsettled()) await Bun.sleep(500);
    if (state.open.length > 0) {
      throw new Error(`seed ${SEED}: ${state.open.length} generated events neither mailed nor dead-lettered (replay: FC_SEED=${SEED} bun test test/faults/notifierAttack.test.ts):\n`
        + state.open.slice(0, 20).map((m) => `  #${sent.indexOf(m)} ${preview(m)}`).join("\n"));
    }
    const kinds = new Map<string, { dead: number; mailed: number }>();
    for (const m of sent) {
      const tally = kinds.get(m.kind) ?? { dead: 0, mailed: 0 };
      if (state.dead.has(coordinates(m.topic, m.partition, m.offset))) tally.dead++;
      else tally.mailed++;
      kinds.set(m.kind, tally);
    }
    console.log(`seed ${SEED}: ${[...kinds].map(([kind, t]) => `${kind}: ${t.dead} dead-lettered, ${t.mailed} mailed`).join("; ")}`);

    // Once per order and kind (the table's key), each sent, and each in the mailbox once.
    const rows = await sql<{ order_id: string; kind: string; status: string }[]>`
      SELECT order_id::text, kind, status FROM notifications WHERE order_id = ANY(${targets}::uuid[])`;
    expect(rows.filter((r) => r.status !== "sent")).toEqual([]);
    for (const id of targets) {
      const mails = await mailpit.search(`to:"attack-${id.slice(0, 8)}@example.com"`);
      expect({ id, mails: mails.length }).toEqual({ id, mails: rows.filter((r) => r.order_id === id).length });
    }
    expect((await fetch(`${shop.url}/readyz`)).status).toBe(200);
  }, 240_000);
});
