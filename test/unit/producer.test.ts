import { describe, expect, test } from "bun:test";
import type { Kafka } from "kafkajs";
import { RenewingProducer } from "../../src/kafka/producer.ts";
import { createLogger } from "../../src/log.ts";

/** A Kafka whose producers answer each sendBatch with the next of `outcomes` (an error, or success). */
function scriptedKafka(outcomes: (Error | undefined)[]) {
  const producers: { id: number; sent: number; connected: boolean; disconnected: boolean }[] = [];
  const kafka = {
    producer: () => {
      const state = { id: producers.length, sent: 0, connected: false, disconnected: false };
      producers.push(state);
      return {
        connect: async () => { state.connected = true; },
        disconnect: async () => { state.disconnected = true; },
        sendBatch: async () => {
          state.sent++;
          const outcome = outcomes.shift();
          if (outcome) throw outcome;
          return [];
        },
      };
    },
  } as unknown as Kafka;
  return { kafka, producers };
}

const protocolError = (type: string) => Object.assign(new Error(type), { name: "KafkaJSProtocolError", type });
const batch = { topicMessages: [] };

describe("RenewingProducer", () => {
  test("after OUT_OF_ORDER_SEQUENCE_NUMBER the failed call rejects and the next one goes through a new producer session", async () => {
    const { kafka, producers } = scriptedKafka([protocolError("OUT_OF_ORDER_SEQUENCE_NUMBER"), undefined]);
    const producer = new RenewingProducer(kafka, createLogger("error", {}, () => {}));
    await producer.connect();
    await expect(producer.sendBatch(batch)).rejects.toMatchObject({ type: "OUT_OF_ORDER_SEQUENCE_NUMBER" });
    await producer.sendBatch(batch);
    expect(producers.map(({ sent, connected, disconnected }) => ({ sent, connected, disconnected }))).toEqual([
      { sent: 1, connected: true, disconnected: true },
      { sent: 1, connected: true, disconnected: false },
    ]);
  });

  test("any other failure keeps the session: its sequence numbers are still good", async () => {
    const { kafka, producers } = scriptedKafka([protocolError("NOT_LEADER_FOR_PARTITION"), new Error("Closed connection"), undefined]);
    const producer = new RenewingProducer(kafka, createLogger("error", {}, () => {}));
    await expect(producer.sendBatch(batch)).rejects.toThrow("NOT_LEADER_FOR_PARTITION");
    await expect(producer.sendBatch(batch)).rejects.toThrow("Closed connection");
    await producer.sendBatch(batch);
    expect(producers).toHaveLength(1);
    expect(producers[0]!.sent).toBe(3);
  });
});
