import { afterAll, expect, test } from "bun:test";
import { KafkaJSNonRetriableError } from "kafkajs";
import { runConsumer } from "../../src/kafka/consumer.ts";
import { Progress } from "../../src/kafka/progress.ts";
import { createLogger } from "../../src/log.ts";
import { kafka, produce, stopProducing } from "../support/kafka.ts";

const topic = `${process.env.KAFKA_TOPIC_PREFIX ?? ""}consumer-restart-${crypto.randomUUID()}`;
const admin = kafka.admin();

afterAll(async () => {
  await stopProducing();
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
});

test("a consumer kafkajs leaves stopped after a crash it deems not retriable is started again, and the message goes through", async () => {
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await produce(topic, [{ key: "k", value: "v" }]);
  let attempts = 0;
  let processed!: () => void;
  const done = new Promise<void>((resolve) => { processed = resolve; });
  const consumer = await runConsumer({
    kafka, groupId: topic, topics: [topic], log: createLogger("error", {}, () => {}), progress: new Progress(topic, [topic]), restartMs: 100,
    // The first batch fails as kafkajs's own give-ups do (KafkaJSGroupCoordinatorNotFound is one):
    // kafkajs stops the consumer and does not restart it.
    handler: async () => {
      if (++attempts === 1) throw new KafkaJSNonRetriableError("given up");
      processed();
    },
  });
  try {
    await done;
    expect(attempts).toBe(2);
  } finally {
    await consumer.stop();
  }
}, 60_000);
