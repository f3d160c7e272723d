import { describe, expect, test } from "bun:test";
import RequestQueue from "kafkajs/src/network/requestQueue/index.js";
import createSendMessages from "kafkajs/src/producer/sendMessages.js";
import createRetry from "kafkajs/src/retry/index.js";
import Decoder from "kafkajs/src/protocol/decoder.js";
import encodeRecord from "kafkajs/src/protocol/recordBatch/record/v0/index.js";
import decodeRecord from "kafkajs/src/protocol/recordBatch/record/v0/decoder.js";
import fc from "fast-check";
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

  const encode = (record: { key: string | null; value: string | null; headers: Record<string, string> }) => encodeRecord({ ...record, offsetDelta: 3, timestampDelta: 7 });

  test("a record with headers is encoded into one unfilled buffer of about its own size", () => {
    const calls = { alloc: 0, allocUnsafe: 0 };
    const { alloc, allocUnsafe } = Buffer;
    Buffer.alloc = ((...args: Parameters<typeof alloc>) => (calls.alloc++, alloc(...args))) as typeof alloc;
    Buffer.allocUnsafe = ((size: number) => (calls.allocUnsafe++, allocUnsafe(size))) as typeof allocUnsafe;
    let encoded: ReturnType<typeof encode>;
    try {
      encoded = encode({ key: "ord_1", value: JSON.stringify({ type: "OrderPlaced", orderId: "ord_1" }), headers: { "correlation-id": "c".repeat(36), traceparent: `00-${"a".repeat(32)}-${"b".repeat(16)}-00` } });
    } finally {
      Object.assign(Buffer, { alloc, allocUnsafe });
    }
    // Upstream makes a zero-filled 512-byte buffer for the record and one for each header.
    expect(calls).toEqual({ alloc: 0, allocUnsafe: 1 });
    expect(encoded.buf.length).toBeLessThanOrEqual(2 * encoded.buffer.length);
  });

  test("what it encodes reads back as it went in (generated, fixed seed)", () => {
    const text = fc.string({ unit: "binary", maxLength: 600 });
    // Names of Object.prototype's members too: upstream read a header "valueOf" as a repeat of the inherited function.
    const name = fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom(...Object.getOwnPropertyNames(Object.prototype)));
    const record = fc.record({ key: fc.option(text, { nil: null }), value: fc.option(text, { nil: null }), headers: fc.dictionary(name, text, { maxKeys: 4, noNullPrototype: true }) });
    fc.assert(fc.property(record, (r) => {
      const bytes = encode(r).buffer;
      const outer = new Decoder(bytes);
      const length = outer.readVarInt();
      expect(outer.offset + length).toBe(bytes.length);
      const read = decodeRecord(new Decoder(outer.readBytes(length)), { firstOffset: "10", firstTimestamp: "100", magicByte: 2 });
      expect({ key: read.key?.toString() ?? null, value: read.value?.toString() ?? null, offset: read.offset, timestamp: read.timestamp }).toEqual({ key: r.key, value: r.value, offset: "13", timestamp: "107" });
      expect(Object.entries(read.headers).map(([k, v]) => [k, v.toString()])).toEqual(Object.entries(r.headers));
    }), { seed: 4711, numRuns: 300 });
  });
});
