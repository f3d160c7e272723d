import { describe, expect, test } from "bun:test";
import kafkajsMurmur2 from "kafkajs/src/producer/partitioners/default/murmur2.js";
import { keyPartitioner, murmur2 } from "../../src/kafka/partitioner.ts";

describe("murmur2", () => {
  test("gives kafkajs's (and Java's) hash for every key length and content", () => {
    const keys = [
      "", "a", "ab", "abc", "abcd", "21", "order", crypto.randomUUID(),
      ...Array.from({ length: 2_000 }, (_, i) => Buffer.from(crypto.getRandomValues(new Uint8Array(i % 67)))),
    ];
    for (const key of keys) {
      const bytes = typeof key === "string" ? Buffer.from(key) : key;
      expect(murmur2(bytes)).toBe(kafkajsMurmur2(bytes));
    }
  });

  test("known values from Kafka's own tests", () => {
    expect(murmur2(Buffer.from("21"))).toBe(-973932308);
    expect(murmur2(Buffer.from("foobar"))).toBe(-790332482);
    expect(murmur2(Buffer.from("a-little-bit-long-string"))).toBe(-985981536);
  });

  test("a key always lands on the same partition", () => {
    const partition = keyPartitioner();
    const partitionMetadata = Array.from({ length: 6 }, (_, i) => ({ partitionId: i, leader: 1 })) as never;
    const key = crypto.randomUUID();
    const first = partition({ topic: "t", partitionMetadata, message: { key, value: "x" } });
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(6);
    expect(partition({ topic: "t", partitionMetadata, message: { key: Buffer.from(key), value: "y" } })).toBe(first);
  });
});
