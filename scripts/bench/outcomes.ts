import { Kafka, logLevel } from "kafkajs";
import type { Topics } from "../../src/kafka/topics.ts";

export type Outcome = { kind: "confirmed" } | { kind: "rejected"; reason: string };
/** Called with the outcome and the time (performance.now) the bench saw it on Kafka. */
export type Settle = (outcome: Outcome, at: number) => void;

export type OutcomeWatcher = {
  /** Waits for the order whose POST carried `correlationId` as its X-Request-Id. */
  expect(correlationId: string, settle: Settle): void;
  forget(correlationId: string): void;
  readonly waiting: number;
  stop(): Promise<void>;
};

const JOIN_TIMEOUT_MS = 30_000;

function reasonOf(value: Buffer | null): string {
  try {
    return String(JSON.parse(value?.toString() ?? "").data.reason);
  } catch {
    return "unreadable";
  }
}

/**
 * Watches orders.confirmed (and orders.rejected, to name why an order never confirmed) with a group
 * of its own. Every outcome event carries the `correlation-id` header, the X-Request-Id of the POST
 * that started it, so the bench knows what to wait for before it sends, and a confirmation can
 * never arrive before the bench knows of it. Starts are pinned to the end offsets read before
 * `run`, so nothing is missed however long the group takes to join; the load starts only after
 * the join, so that the first confirmations are not seen late.
 */
export async function watchOutcomes(brokers: string[], names: Topics): Promise<OutcomeWatcher> {
  const kafka = new Kafka({ clientId: "shop-bench", brokers, logLevel: logLevel.NOTHING });
  const topics = [names.confirmed, names.rejected];
  const groupId = `shop-bench-${crypto.randomUUID()}`;

  const admin = kafka.admin();
  await admin.connect();
  const ends = await Promise.all(topics.map(async (topic) => ({ topic, offsets: await admin.fetchTopicOffsets(topic) })));

  const waiting = new Map<string, Settle>();
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: false });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      const at = performance.now();
      for (const message of batch.messages) {
        const id = message.headers?.["correlation-id"]?.toString();
        const settle = id === undefined ? undefined : waiting.get(id);
        if (!settle) continue; // another client's order, or a republished outcome already counted
        waiting.delete(id!);
        settle(batch.topic === names.confirmed ? { kind: "confirmed" } : { kind: "rejected", reason: reasonOf(message.value) }, at);
      }
    },
  });
  for (const { topic, offsets } of ends) {
    for (const { partition, offset } of offsets) consumer.seek({ topic, partition, offset });
  }
  let timer: Timer | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the outcome consumer did not join within ${JOIN_TIMEOUT_MS / 1000} s`)), JOIN_TIMEOUT_MS);
  });
  try {
    await Promise.race([joined, timedOut]);
  } catch (error) {
    await consumer.disconnect();
    await admin.disconnect();
    throw error;
  } finally {
    clearTimeout(timer);
  }

  return {
    expect: (id, settle) => { waiting.set(id, settle); },
    forget: (id) => { waiting.delete(id); },
    get waiting() { return waiting.size; },
    async stop() {
      await consumer.disconnect();
      // The group was the bench's alone; leave no trace of it on the broker.
      await admin.deleteGroups([groupId]).catch(() => {});
      await admin.disconnect();
    },
  };
}
