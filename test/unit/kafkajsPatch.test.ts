import { describe, expect, test } from "bun:test";
import RequestQueue from "kafkajs/src/network/requestQueue/index.js";
import createSendMessages from "kafkajs/src/producer/sendMessages.js";
import createRetry from "kafkajs/src/retry/index.js";
import pkg from "../../package.json";

type Queue = { pending: unknown[]; throttleCheckTimeoutId: unknown; scheduleCheckPendingRequests(): void; destroy(): void };
const newQueue = () =>
  new (RequestQueue as new (options: object) => Queue)({ maxInFlightRequests: 1, requestTimeout: 1_000, enforceRequestTimeout: false, clientId: "test", broker: "test:9092", logger: {} });

// bun install drops a patch silently when its version key no longer matches the installed kafkajs
// (oven-sh/bun#40106): these tests are what fails then.
describe("the installed kafkajs carries patches/kafkajs@2.2.4.patch", () => {
  test("the patch is declared for the kafkajs version the shop depends on", () => {
    expect(Object.keys(pkg.patchedDependencies)).toContain(`kafkajs@${pkg.dependencies.kafkajs}`);
  });

  test("an idle connection's request queue arms no timer", () => {
    const queue = newQueue();
    queue.scheduleCheckPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });

  test("a queue with a pending request still schedules its check", () => {
    const queue = newQueue();
    queue.pending.push({});
    queue.scheduleCheckPendingRequests();
    expect(queue.throttleCheckTimeoutId).not.toBeNull();
    queue.destroy();
  });

  test("a retry after a leader's death sends its partitions to their new leader, though that broker already answered for its own", async () => {
    let leaders: Record<number, number> = { 0: 1, 1: 2 };
    const produced: { broker: number; partitions: number[] }[] = [];
    // kafkajs hands node ids around as strings.
    const broker = (nodeId: string) => ({
      nodeId,
      async produce({ topicData }: { topicData: { topic: string; partitions: { partition: number }[] }[] }) {
        const partitions = topicData.flatMap((t) => t.partitions.map((p) => p.partition));
        produced.push({ broker: Number(nodeId), partitions });
        if (nodeId === "2") throw Object.assign(new Error("Connection error: read ECONNRESET"), { name: "KafkaJSConnectionError", retriable: true });
        return { topics: [{ topicName: "t", partitions: partitions.map((partition) => ({ partition, errorCode: 0, baseOffset: "0" })) }] };
      },
    });
    const metadata = () => Object.entries(leaders).map(([partitionId, leader]) => ({ partitionId: Number(partitionId), leader }));
    const cluster = {
      targetTopics: new Set(),
      isConnected: () => true,
      addMultipleTargetTopics: async () => {},
      refreshMetadataIfNecessary: async () => {},
      // The dead leader's partition moves to the broker that answered.
      refreshMetadata: async () => { leaders = { 0: 1, 1: 1 }; },
      removeBroker: () => {},
      findTopicPartitionMetadata: metadata,
      findLeaderForPartitions: (_topic: string, partitions: string[]) => {
        const result: Record<number, number[]> = {};
        for (const id of partitions.map(Number)) (result[leaders[id]!] ??= []).push(id);
        return result;
      },
      findBroker: async ({ nodeId }: { nodeId: string }) => broker(nodeId),
    };
    const eosManager = {
      acquireBrokerLock: async () => {}, releaseBrokerLock: async () => {}, isTransactional: () => false,
      getSequence: () => 0, updateSequence: () => {}, getProducerId: () => -1, getProducerEpoch: () => 0,
    };
    const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    const send = createSendMessages({
      logger, cluster, eosManager,
      partitioner: ({ message }: { message: { partition: number } }) => message.partition,
      retrier: createRetry({ retries: 3, initialRetryTime: 1, maxRetryTime: 5 }),
    });
    const responses = await send({ acks: -1, timeout: 1_000, topicMessages: [{ topic: "t", messages: [{ partition: 0, value: "a" }, { partition: 1, value: "b" }] }] });
    expect(produced).toEqual([{ broker: 1, partitions: [0] }, { broker: 2, partitions: [1] }, { broker: 1, partitions: [1] }]);
    expect(responses.map((r) => r.partition).sort()).toEqual([0, 1]);
  });
});
