import { Kafka, logLevel, type Message, type Producer, type RecordMetadata } from "kafkajs";
import { DEFAULT_KAFKA_BROKERS } from "../../src/config.ts";
import { keyPartitioner, murmur2 } from "../../src/kafka/partitioner.ts";
import { namespace } from "../../src/kafka/topics.ts";

export const KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? DEFAULT_KAFKA_BROKERS).split(",");
/** The run's own topic and group names (see test/support/namespace.ts). */
export const { topics, groups } = namespace(process.env.KAFKA_TOPIC_PREFIX);
export const kafka = new Kafka({ clientId: "shop-tests", brokers: KAFKA_BROKERS, logLevel: logLevel.NOTHING });

let producing: Promise<Producer> | undefined;

/**
 * Writes to the test Kafka as any client of the shop's topics may, bypassing the API: one producer
 * for the test file, which partitions keys as the shop does (src/kafka/partitioner.ts). A file that
 * produces calls `stopProducing` after all its tests.
 */
export async function produce(topic: string, messages: Message[]): Promise<RecordMetadata[]> {
  producing ??= (async () => {
    const producer = kafka.producer({ createPartitioner: keyPartitioner });
    await producer.connect();
    return producer;
  })();
  return (await producing).send({ topic, messages });
}

/**
 * One key of `newKey`'s making for each partition of `topic`, as the shop's partitioner places keys:
 * a message behind everything else on every partition.
 */
export async function keyOnEveryPartition(topic: string, newKey: () => string): Promise<Map<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
  await admin.disconnect();
  const partitions = metadata!.partitions.length;
  const keys = new Map<number, string>();
  while (keys.size < partitions) {
    const key = newKey();
    const partition = (murmur2(Buffer.from(key)) & 0x7fffffff) % partitions;
    if (!keys.has(partition)) keys.set(partition, key);
  }
  return keys;
}

/** Deletes topics a test file made for itself. */
export async function deleteTopics(names: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: names });
  } finally {
    await admin.disconnect();
  }
}

export async function stopProducing(): Promise<void> {
  const producer = producing;
  producing = undefined;
  await (await producer)?.disconnect();
}

export type Seen = {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  raw: Buffer | null;
  headers: Record<string, string>;
  json: any;
};

export type Offsets = { topic: string; offsets: { partition: number; offset: string }[] }[];

/** Where each partition of `topics` ends now: a watcher started later from here misses nothing. */
export async function endOffsets(topics: string[], client = kafka): Promise<Offsets> {
  const admin = client.admin();
  await admin.connect();
  try {
    return await Promise.all(topics.map(async (topic) => ({ topic, offsets: await admin.fetchTopicOffsets(topic) })));
  } finally {
    await admin.disconnect();
  }
}

/**
 * Records every message written to `topics` (of the test Kafka, or of `client`'s) from the moment `watch` returns. The start is pinned
 * to each partition's end offset before the consumer runs, so nothing a test does afterwards can be
 * missed, however long the group takes to join.
 */
export async function watch(topics: string[], from?: Offsets, client = kafka) {
  const starts = from ?? (await endOffsets(topics, client));

  const seen: Seen[] = [];
  const waiters = new Set<() => void>();
  // The next offset wanted of each partition. Messages before it are left out, so what is recorded
  // never depends on a seek having taken: kafkajs forgets seeks when the consumer crashes and starts
  // again (a broker still loading its group coordinator), and refuses one made before it has started.
  const next = new Map<string, bigint>();
  const at = (topic: string, partition: number) => `${topic}\u0000${partition}`;
  for (const { topic, offsets } of starts) for (const { partition, offset } of offsets) next.set(at(topic, partition), BigInt(offset));
  const consumer = client.consumer({ groupId: `shop-tests-${crypto.randomUUID()}`, maxWaitTimeInMs: 100 });
  consumer.on(consumer.events.GROUP_JOIN, () => {
    for (const [key, offset] of next) {
      const [topic, partition] = key.split("\u0000");
      consumer.seek({ topic: topic!, partition: Number(partition), offset: offset.toString() });
    }
  });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const offset = BigInt(message.offset);
      if (offset < (next.get(at(topic, partition)) ?? 0n)) return;
      next.set(at(topic, partition), offset + 1n);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = v.toString();
      const value = message.value?.toString() ?? null;
      let json: unknown;
      try { json = value === null ? undefined : JSON.parse(value); } catch { json = undefined; }
      seen.push({ topic, partition, offset: message.offset, key: message.key?.toString() ?? null, value, raw: message.value, headers, json });
      for (const wake of waiters) wake();
    },
  });

  return {
    seen,
    /** Waits until `predicate` holds over the messages seen so far. */
    async until(predicate: (seen: Seen[]) => boolean, timeoutMs = 30_000, what = "messages"): Promise<void> {
      if (predicate(seen)) return;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`timed out waiting for ${what}; saw ${seen.length} messages`)); }, timeoutMs);
        const check = () => { if (predicate(seen)) { clearTimeout(timer); waiters.delete(check); resolve(); } };
        waiters.add(check);
      });
    },
    forOrder: (orderId: string) => seen.filter((m) => m.key === orderId),
    stop: () => consumer.disconnect(),
  };
}

export type Watcher = Awaited<ReturnType<typeof watch>>;
