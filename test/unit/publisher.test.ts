import { describe, expect, test } from "bun:test";
import type { Producer } from "kafkajs";
import { RecordTooLarge } from "../../src/failure.ts";
import { BatchingPublisher, MAX_RECORD_BYTES, PublishExpired, type Outbound } from "../../src/kafka/publisher.ts";

const message = (n: number, topic = "t"): Outbound => ({ topic, key: `k${n}`, value: `v${n}`, headers: {} });

/** A producer whose sendBatch calls the test completes by hand. */
function manualProducer() {
  const calls: { topicMessages: { topic: string; messages: unknown[] }[]; done: (error?: Error) => void }[] = [];
  const producer = {
    sendBatch: ({ topicMessages }: { topicMessages: { topic: string; messages: unknown[] }[] }) =>
      new Promise((resolve, reject) => calls.push({ topicMessages, done: (error) => (error ? reject(error) : resolve([])) })),
  } as unknown as Producer;
  return { producer, calls };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("BatchingPublisher", () => {
  test("sends at once when idle, and gathers what arrives while a request is in flight into one", async () => {
    const { producer, calls } = manualProducer();
    const publisher = new BatchingPublisher(producer);
    const first = publisher.publish([message(1)]);
    await tick();
    expect(calls).toHaveLength(1);
    const rest = [publisher.publish([message(2)]), publisher.publish([message(3, "u")]), publisher.publish([message(4)])];
    await tick();
    expect(calls).toHaveLength(1);
    calls[0]!.done();
    await first;
    await tick();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.topicMessages.map((t) => [t.topic, t.messages.length])).toEqual([["t", 2], ["u", 1]]);
    calls[1]!.done();
    await Promise.all(rest);
  });

  test("nothing Kafka could refuse for its size is sent: a record over the limit fails at once, and no request carries more than the limit", async () => {
    const requests: number[] = [];
    const producer = {
      async sendBatch({ topicMessages }: { topicMessages: { messages: { value: string }[] }[] }) {
        requests.push(topicMessages.flatMap((t) => t.messages).reduce((sum, m) => sum + m.value.length, 0));
      },
    } as unknown as Producer;
    const publisher = new BatchingPublisher(producer);
    await expect(publisher.publish([{ ...message(1), value: "x".repeat(MAX_RECORD_BYTES) }])).rejects.toBeInstanceOf(RecordTooLarge);
    expect(requests).toEqual([]);
    const big = (n: number) => ({ ...message(n), value: "x".repeat(400_000) });
    await Promise.all([publisher.publish([big(1), big(2), big(3)]), publisher.publish([big(4)])]);
    expect(requests.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...requests)).toBeLessThanOrEqual(MAX_RECORD_BYTES);
    expect(requests.reduce((a, b) => a + b)).toBe(4 * 400_000);
  });

  test("a message Kafka refuses for good fails only its own caller, not those that shared its request", async () => {
    const sent: string[][] = [];
    const producer = {
      async sendBatch({ topicMessages }: { topicMessages: { messages: { key: string }[] }[] }) {
        const keys = topicMessages.flatMap((t) => t.messages.map((m) => m.key));
        if (keys.includes("k2")) throw Object.assign(new Error("too large"), { name: "KafkaJSProtocolError", retriable: false });
        sent.push(keys);
      },
    } as unknown as Producer;
    const publisher = new BatchingPublisher(producer);
    const results = await Promise.allSettled([publisher.publish([message(1)]), publisher.publish([message(2)]), publisher.publish([message(3)])]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(sent).toEqual([["k1"], ["k3"]]);
  });

  test("a transient failure still fails every caller of the request, for each to retry", async () => {
    const producer = { sendBatch: async () => { throw Object.assign(new Error("no broker"), { name: "KafkaJSConnectionError", retriable: true }); } } as unknown as Producer;
    const publisher = new BatchingPublisher(producer);
    const results = await Promise.allSettled([publisher.publish([message(1)]), publisher.publish([message(2)])]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });

  test("a failed request rejects exactly the callers whose messages it carried", async () => {
    const { producer, calls } = manualProducer();
    const publisher = new BatchingPublisher(producer);
    const failing = publisher.publish([message(1)]);
    await tick();
    const later = publisher.publish([message(2)]);
    calls[0]!.done(new Error("broker gone"));
    await expect(failing).rejects.toThrow("broker gone");
    await tick();
    calls[1]!.done();
    await later;
  });

  test("messages whose deadline passed while waiting are dropped, never sent late", async () => {
    const { producer, calls } = manualProducer();
    const publisher = new BatchingPublisher(producer);
    const first = publisher.publish([message(1)]);
    await tick();
    const expired = publisher.publish([message(2)], Date.now() - 1);
    const fresh = publisher.publish([message(3)], Date.now() + 60_000);
    calls[0]!.done();
    await first;
    await expect(expired).rejects.toBeInstanceOf(PublishExpired);
    await tick();
    expect(calls[1]!.topicMessages[0]!.messages).toHaveLength(1);
    calls[1]!.done();
    await fresh;
  });

  test("caps a request at maxMessages", async () => {
    const { producer, calls } = manualProducer();
    const publisher = new BatchingPublisher(producer, 3);
    const all = [1, 2, 3, 4, 5].map((n) => publisher.publish([message(n)]));
    await tick();
    expect(calls[0]!.topicMessages[0]!.messages).toHaveLength(3);
    calls[0]!.done();
    await tick();
    await tick();
    expect(calls[1]!.topicMessages[0]!.messages).toHaveLength(2);
    calls[1]!.done();
    await Promise.all(all);
  });
});
