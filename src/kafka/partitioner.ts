import type { ICustomPartitioner } from "kafkajs";

const M = 0x5bd1e995;

/**
 * Kafka's murmur2 (org.apache.kafka.common.utils.Utils#murmur2) in 32-bit integer arithmetic.
 * kafkajs computes the same hash with an emulated 64-bit Long, which was a tenth of the shop's
 * CPU under load; the result, and so every key's partition, is identical.
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = 0x9747b28c ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const rest = length & 3;
  if (rest === 3) h ^= data[whole + 2]! << 16;
  if (rest >= 2) h ^= data[whole + 1]! << 8;
  if (rest >= 1) h = Math.imul(h ^ data[whole]!, M);
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/**
 * Java's default partitioner for keyed messages: every message of one key lands on one partition.
 * kafkajs hands it the message the publisher gave, so a record's producer span learns its partition
 * here (`placed`, see publisher.ts), where kafkajs's answer names partitions, not records.
 */
export const keyPartitioner: ICustomPartitioner = () => ({ partitionMetadata, message }) => {
  const key = message.key ?? "";
  const bytes = typeof key === "string" ? Buffer.from(key) : key;
  const partition = (murmur2(bytes) & 0x7fffffff) % partitionMetadata.length;
  (message as { placed?: (partition: number) => void }).placed?.(partition);
  return partition;
};
