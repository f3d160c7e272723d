import { afterAll, expect, test } from "bun:test";
import { runConsumer } from "../../src/kafka/consumer.ts";
import { coalesce } from "../../src/kafka/middleware/coalesce.ts";
import { Progress } from "../../src/kafka/progress.ts";
import { createLogger } from "../../src/log.ts";
import { kafka, produce, stopProducing } from "../support/kafka.ts";

const PARTITIONS = 6;
const run = crypto.randomUUID();
// Four topics as the notifier reads: 24 partitions, more than kafkajs was once let hand over at a time.
const topics = ["a", "b", "c", "d"].map((t) => `${process.env.KAFKA_TOPIC_PREFIX ?? ""}consumer-topics-${t}-${run}`);
const admin = kafka.admin();

afterAll(async () => {
  await stopProducing();
  await admin.deleteTopics({ topics });
  await admin.disconnect();
});

test("a consumer of several topics hands every partition's batch of a fetch to the chain at once: one call, not one now and the rest after it", async () => {
  await admin.connect();
  await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: PARTITIONS })), waitForLeaders: true });
  for (const topic of topics) await produce(topic, Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, value: "v" })));
  const calls: string[][] = [];
  let seen = 0;
  let all!: () => void;
  const done = new Promise<void>((resolve) => { all = resolve; });
  const consumer = await runConsumer({
    kafka, groupId: `consumer-topics-${run}`, topics, log: createLogger("error", {}, () => {}), progress: new Progress(run, topics),
    handler: coalesce()(async (messages) => {
      calls.push(messages.map((m) => `${m.topic} ${m.partition}`));
      if ((seen += messages.length) === topics.length * PARTITIONS) all();
      return [];
    }),
  });
  try {
    await done;
    expect(calls.map((c) => c.length)).toEqual([topics.length * PARTITIONS]);
  } finally {
    await consumer.stop();
  }
}, 60_000);
