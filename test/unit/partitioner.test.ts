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

  test("puts each key on the partition Kafka's Java client picks", () => {
    const partition = keyPartitioner();
    const metadata = (n: number) => Array.from({ length: n }, (_, i) => ({ partitionId: i, leader: 1 })) as never;
    for (const [key, partitions, expected] of JAVA_PARTITIONS) {
      const message = { key, value: "x" };
      expect({ key, partitions, got: partition({ topic: "t", partitionMetadata: metadata(partitions), message }) }).toEqual({ key, partitions, got: expected });
      const asBytes = { key: Buffer.from(key), value: "x" };
      expect(partition({ topic: "t", partitionMetadata: metadata(partitions), message: asBytes })).toBe(expected);
    }
  });
});

/**
 * (key, partitions, expected partition), computed once with Kafka's own Java client, kafka-clients
 * 4.4.0: `Utils.toPositive(Utils.murmur2(key.getBytes(UTF_8))) % partitions`, which is what its
 * default partitioner does with a keyed record. Keys cover every tail length of the hash (0..3 bytes
 * past a multiple of 4), order ids, a product id and multi-byte UTF-8.
 */
const JAVA_PARTITIONS: [string, number, number][] = [
  ["", 6, 3], ["", 7, 2], ["", 100, 81],
  ["a", 6, 4], ["a", 7, 5], ["a", 100, 24],
  ["ab", 6, 2], ["ab", 7, 0], ["ab", 100, 34],
  ["abc", 6, 3], ["abc", 7, 4], ["abc", 100, 7],
  ["abcd", 6, 2], ["abcd", 7, 5], ["abcd", 100, 0],
  ["abcde", 6, 1], ["abcde", 7, 4], ["abcde", 100, 41],
  ["21", 6, 0], ["21", 7, 3], ["21", 100, 40],
  ["foobar", 6, 0], ["foobar", 7, 0], ["foobar", 100, 66],
  ["a-little-bit-long-string", 6, 2], ["a-little-bit-long-string", 7, 1], ["a-little-bit-long-string", 100, 12],
  ["prd_house-espresso", 6, 2], ["prd_house-espresso", 7, 4], ["prd_house-espresso", 100, 70],
  ["0b1c2d3e-4f50-4a61-8b72-9c83d94ea5f6", 6, 4], ["0b1c2d3e-4f50-4a61-8b72-9c83d94ea5f6", 7, 2], ["0b1c2d3e-4f50-4a61-8b72-9c83d94ea5f6", 100, 62],
  ["7f3e9a52-1c4d-4e8b-a0f2-5d6c7b8e9f01", 6, 3], ["7f3e9a52-1c4d-4e8b-a0f2-5d6c7b8e9f01", 7, 4], ["7f3e9a52-1c4d-4e8b-a0f2-5d6c7b8e9f01", 100, 97],
  ["café", 6, 0], ["café", 7, 6], ["café", 100, 74],
  ["茶", 6, 5], ["茶", 7, 1], ["茶", 100, 11],
];
