import { describe, expect, test } from "bun:test";
import { Unprocessable as PoisonError } from "../../src/failure.ts";
import type { Inbound } from "../../src/kafka/message.ts";
import { deadLetter, deadLetterOf, replayOf } from "../../src/kafka/middleware/deadLetter.ts";
import { Aborted, retry } from "../../src/kafka/middleware/retry.ts";
import type { Outbound } from "../../src/kafka/publisher.ts";
import { createLogger } from "../../src/log.ts";

const log = createLogger("error", {}, () => {});
const isPermanent = (e: unknown) => e instanceof PoisonError;
const inbound = (value: string, offset = "0"): Inbound =>
  ({ topic: "orders.commands", partition: 2, offset, key: "k", value: Buffer.from(value), headers: { "correlation-id": "c1" }, timestamp: new Date(0) });

describe("retry", () => {
  test("retries transient failures until the handler succeeds", async () => {
    let calls = 0;
    const handler = retry(async () => { if (++calls < 4) throw new Error("db down"); }, { isPermanent, signal: new AbortController().signal, log, initialDelayMs: 1 });
    await handler([1]);
    expect(calls).toBe(4);
  });

  test("lets a permanent failure through at once", async () => {
    let calls = 0;
    const handler = retry(async () => { calls++; throw new PoisonError("bad"); }, { isPermanent, signal: new AbortController().signal, log, initialDelayMs: 1 });
    await expect(handler([1])).rejects.toBeInstanceOf(PoisonError);
    expect(calls).toBe(1);
  });

  test("stops waiting when the consumer stops, without succeeding", async () => {
    const stop = new AbortController();
    const handler = retry(async () => { throw new Error("db down"); }, { isPermanent, signal: stop.signal, log, initialDelayMs: 60_000 });
    const running = handler([1]);
    setTimeout(() => stop.abort(), 5);
    await expect(running).rejects.toBeInstanceOf(Aborted);
  });
});

describe("deadLetter", () => {
  const decode = (m: Inbound) => {
    const text = m.value!.toString();
    return text.startsWith("ok") ? { ok: true as const, value: text } : { ok: false as const, reason: `bad: ${text}` };
  };

  test("sends undecodable messages to the DLQ unchanged, with reason and source, and handles the rest", async () => {
    const sent: Outbound[] = [];
    const handled: string[] = [];
    const handler = deadLetter<string>(async (items) => { handled.push(...items.map((i) => i.value)); }, {
      dlqTopic: "orders.dlq", decode, isPermanent, log, send: async (m) => { sent.push(...m); },
    });
    await handler([inbound("ok-1", "10"), inbound("garbage", "11"), inbound("ok-2", "12")]);
    expect(handled).toEqual(["ok-1", "ok-2"]);
    expect(sent).toEqual([{
      topic: "orders.dlq", key: "k", value: Buffer.from("garbage"),
      headers: { "correlation-id": "c1", "dlq-reason": "bad: garbage", "dlq-source-topic": "orders.commands", "dlq-source-partition": "2", "dlq-source-offset": "11" },
    }]);
  });

  test("when a batch fails permanently, only the message at fault is dead-lettered", async () => {
    const sent: Outbound[] = [];
    const handled: string[] = [];
    const handler = deadLetter<string>(async (items) => {
      if (items.some((i) => i.value === "ok-poison")) throw new PoisonError("cannot store it");
      handled.push(...items.map((i) => i.value));
    }, { dlqTopic: "orders.dlq", decode, isPermanent, log, send: async (m) => { sent.push(...m); } });
    await handler([inbound("ok-1"), inbound("ok-poison"), inbound("ok-2")]);
    expect(handled).toEqual(["ok-1", "ok-2"]);
    expect(sent.map((m) => [m.value.toString(), m.headers["dlq-reason"]])).toEqual([["ok-poison", "processing failed: cannot store it"]]);
  });

  test("a transient failure propagates, so nothing is skipped", async () => {
    const handler = deadLetter<string>(async () => { throw new Error("db down"); }, { dlqTopic: "orders.dlq", decode, isPermanent, log, send: async () => {} });
    await expect(handler([inbound("ok-1")])).rejects.toThrow("db down");
  });
});

describe("replayOf", () => {
  test("gives back the original message, for its source topic: same key, bytes and headers, no dlq-* headers", () => {
    const original = { ...inbound("any bytes"), value: Buffer.from([0xff, 0x00, 0x41]), headers: { type: "PlaceOrder", "correlation-id": "c1" } };
    const letter = deadLetterOf(original, "not JSON", "orders.dlq");
    expect(replayOf({ sourceTopic: letter.headers["dlq-source-topic"]!, key: letter.key, value: letter.value as Buffer, headers: letter.headers }))
      .toEqual({ topic: "orders.commands", key: "k", value: Buffer.from([0xff, 0x00, 0x41]), headers: { type: "PlaceOrder", "correlation-id": "c1" } });
  });
});
