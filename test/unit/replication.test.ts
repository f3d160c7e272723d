import { describe, expect, test } from "bun:test";
import type { ITopicMetadata } from "kafkajs";
import { replicationFor, underReplicated } from "../../src/kafka/replication.ts";

const topic = (name: string, ...replicas: number[]): ITopicMetadata => ({
  name,
  partitions: replicas.map((count, partitionId) => ({
    partitionId, leader: 1, partitionErrorCode: 0, offlineReplicas: [],
    replicas: Array.from({ length: count }, (_, i) => i + 1), isr: [1],
  })),
});

describe("replication", () => {
  test.each([
    [1, undefined, 1, 1],
    [2, undefined, 2, 1],
    [3, undefined, 3, 2],
    [5, undefined, 3, 2],
    [5, 5, 5, 4],
    [3, 1, 1, 1],
  ])("%i brokers, KAFKA_REPLICATION_FACTOR %p: %i replicas, min.insync.replicas %i", (brokers, configured, replicationFactor, minInsyncReplicas) => {
    expect(replicationFor(brokers, configured)).toEqual({ replicationFactor, minInsyncReplicas });
  });

  test("more replicas than brokers is refused with both numbers", () => {
    expect(() => replicationFor(1, 3)).toThrow("KAFKA_REPLICATION_FACTOR is 3 but the cluster has 1 broker up");
  });

  test("a topic counts as under-replicated by its least replicated partition", () => {
    const found = underReplicated([topic("b", 3, 3), topic("a", 1, 1), topic("c", 3, 2)], 3);
    expect(found).toEqual([{ topic: "a", replicas: 1 }, { topic: "c", replicas: 2 }]);
    expect(underReplicated([topic("a", 1)], 1)).toEqual([]);
  });
});
