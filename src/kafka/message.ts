import type { KafkaMessage } from "kafkajs";

/** A message as the handlers see it: where it came from, and its bytes. */
export type Inbound = {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** When Kafka took the message in: for an orders.dlq message, when it was dead-lettered. */
  timestamp: Date;
};

export type BatchHandler<T> = (items: T[]) => Promise<void>;

export function toInbound(topic: string, partition: number, m: KafkaMessage): Inbound {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(m.headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) headers[name] = first.toString();
  }
  return { topic, partition, offset: m.offset, key: m.key?.toString() ?? null, value: m.value, headers, timestamp: new Date(Number(m.timestamp)) };
}
