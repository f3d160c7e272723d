import { describe, expect, test } from "bun:test";
import { chain, type Route, type Transaction } from "../../src/kafka/chain.ts";
import type { Casualty, Handler, Inbound, Produced } from "../../src/kafka/message.ts";
import { deadLetterMessage, replayOf, toDeadLetterTopic, truncatedDeadLetterMessage } from "../../src/kafka/middleware/deadLetter.ts";
import { retry } from "../../src/kafka/middleware/retry.ts";
import { Aborted } from "../../src/waiting.ts";
import { Progress } from "../../src/kafka/progress.ts";
import type { Outbound, Publisher } from "../../src/kafka/publisher.ts";
import { createLogger } from "../../src/log.ts";

const log = createLogger("error", {}, () => {});
/** Shaped as postgres.js reports a refused connection: transient by the classifier's list. */
const dbDown = () => Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });

const inbound = (value: string, offset = "0", partition = 2, headers: Record<string, string> = { "correlation-id": `c-${value}` }): Inbound => ({
  topic: "orders.commands", partition, offset, key: `k-${value}`, value: Buffer.from(value), headers, rawHeaders: headers, headerFault: null, timestamp: new Date(0),
});

class RecordingPublisher implements Publisher {
  sent: Outbound[] = [];
  constructor(private readonly refuse: (m: Outbound) => boolean = () => false) {}
  async publish(messages: readonly Outbound[]) {
    if (messages.some(this.refuse)) throw Object.assign(new Error("too large"), { name: "KafkaJSProtocolError", retriable: false });
    this.sent.push(...messages);
  }
}

/** The transaction a handler runs in, recorded: committed when the work returns, rolled back when it throws. */
type FakeTx = { committed: boolean };
function transactions() {
  const opened: FakeTx[] = [];
  const transaction: Transaction<FakeTx> = async (work) => {
    const tx = { committed: false };
    opened.push(tx);
    const result = await work(tx);
    tx.committed = true;
    return result;
  };
  return { opened, transaction };
}

const done = (key: string) => ({ key, body: { type: "Done", key } });

/** A chain over string messages: "x…" do not decode, "poison…" throw a RangeError, "unknown…" are judged unprocessable. */
function setup(handlerOverride?: Handler<string, FakeTx>) {
  const publisher = new RecordingPublisher();
  const dead: Casualty[] = [];
  const calls: string[][] = [];
  const { opened, transaction } = transactions();
  const handle: Handler<string, FakeTx> = handlerOverride ?? (async (tx, items) => {
    calls.push(items.map((i) => i.value));
    if (items.some((i) => i.value.startsWith("poison"))) new Date(NaN).toISOString();
    return items.map((i): Produced => i.value.startsWith("unknown")
      ? { cause: i.message, unprocessable: `no such thing: ${i.value}` }
      : { cause: i.message, event: done(i.value) });
  });
  const route: Route<string, FakeTx> = {
    name: "g", topics: ["orders.commands"], handle, publishes: { Done: "out" },
    decode: (m) => (m.value!.toString().startsWith("x") ? { ok: false, reason: "not JSON" } : { ok: true, value: m.value!.toString() }),
    deadLetters: async (c) => { dead.push(...c); },
  };
  const progress = new Progress("g", ["orders.commands"]);
  const run = chain(route, { publisher, transaction, signal: new AbortController().signal, log }, progress);
  return { run, publisher, dead, calls, progress, opened };
}

describe("chain", () => {
  test("a good batch is one handler call in one transaction and one publish, to the topic its route gives the event's type; events carry their cause's correlation id", async () => {
    const { run, publisher, calls, opened } = setup();
    await Promise.all([run([inbound("a", "1", 0)]), run([inbound("b", "1", 1), inbound("c", "2", 1)])]);
    expect(calls).toEqual([["a", "b", "c"]]);
    expect(opened).toEqual([{ committed: true }]);
    expect(publisher.sent.map((m) => [m.topic, m.key, JSON.parse(m.value as string), m.headers])).toEqual(["a", "b", "c"].map((k) =>
      ["out", k, { type: "Done", key: k }, { type: "Done", "correlation-id": `c-${k}` }]));
  });

  test("nothing is published before the transaction commits, nor when it rolls back", async () => {
    const { opened, transaction } = transactions();
    const publisher = new RecordingPublisher();
    const seen: boolean[] = [];
    publisher.publish = async (messages) => { seen.push(opened.at(-1)!.committed); publisher.sent.push(...messages); };
    let calls = 0;
    const run = chain<string, FakeTx>({
      name: "g", topics: ["t"], publishes: { Done: "out" }, decode: (m) => ({ ok: true, value: m.value!.toString() }), deadLetters: async () => {},
      handle: async (tx, items) => {
        if (calls++ === 0) throw dbDown();
        return items.map((i) => ({ cause: i.message, event: done(i.value) }));
      },
    }, { publisher, transaction, signal: new AbortController().signal, log }, new Progress("g", ["t"]));
    await run([inbound("a")]);
    expect(opened.map((t) => t.committed)).toEqual([false, true]);
    expect(seen).toEqual([true]);
  });

  test("an event of a type its route does not publish is a failure of the handler, isolated and dead-lettered", async () => {
    const { run, publisher, dead } = setup(async (tx, items) => items.map((i) => ({ cause: i.message, event: i.value === "odd" ? { key: "odd", body: { type: "Odd" } } : done(i.value) })));
    await run([inbound("a"), inbound("odd", "1"), inbound("b", "2")]);
    expect(publisher.sent.map((m) => m.key)).toEqual(["a", "b"]);
    expect(dead.map((d) => [d.message.offset, d.failure.class, d.failure.message])).toEqual([["1", "internal", "g publishes no Odd"]]);
  });

  test("undecodable messages are dead-lettered untried; the rest go on", async () => {
    const { run, dead, calls } = setup();
    await run([inbound("a"), inbound("xyz", "1"), inbound("b", "2")]);
    expect(calls).toEqual([["a", "b"]]);
    expect(dead.map((d) => [d.message.offset, d.failure.class, d.attempts])).toEqual([["1", "undecodable", 0]]);
  });

  test("a message that fails for good is isolated by halving, tried alone three times, and dead-lettered; every other message, of every partition, is processed in order", async () => {
    const { run, publisher, dead, calls } = setup();
    const batches = [0, 1, 2].map((p) => Array.from({ length: 5 }, (_, i) => inbound(p === 1 && i === 3 ? "poison" : `m${p}${i}`, String(i), p)));
    await Promise.all(batches.map(run));
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ message: { partition: 1, offset: "3" }, failure: { class: "internal", transient: false } });
    expect(dead[0]!.attempts).toBeGreaterThanOrEqual(3 + 3);
    expect(calls.filter((c) => c.length === 1 && c[0] === "poison")).toHaveLength(3);
    const published = publisher.sent.map((m) => m.key);
    expect(published).toEqual(batches.flat().map((m) => m.value!.toString()).filter((v) => v !== "poison"));
  });

  test("a transient failure is waited out, never dead-lettered", async () => {
    let failures = 0;
    const { run, dead, publisher, progress } = setup(async (tx, items) => {
      if (failures++ < 4) throw dbDown();
      return items.map((i) => ({ cause: i.message, event: done(i.value) }));
    });
    await run([inbound("a"), inbound("b", "1")]);
    expect(dead).toEqual([]);
    expect(publisher.sent).toHaveLength(2);
    expect(progress.lastError).toMatchObject({ class: "postgres_unavailable", transient: true });
  });

  test("the handler's verdict dead-letters that message only, after the events are published", async () => {
    const { run, dead, publisher } = setup();
    await run([inbound("a"), inbound("unknown-1", "1"), inbound("b", "2")]);
    expect(publisher.sent.map((m) => m.key)).toEqual(["a", "b"]);
    expect(dead.map((d) => [d.message.offset, d.failure.class, d.failure.message, d.attempts])).toEqual([["1", "unprocessable", "no such thing: unknown-1", 1]]);
  });

  test("an event Kafka refuses for good is isolated like any other permanent failure", async () => {
    const publisher = new RecordingPublisher((m) => m.key === "huge");
    const dead: Casualty[] = [];
    const run = chain<string, FakeTx>({
      name: "g", topics: ["t"], publishes: { Done: "out" }, decode: (m) => ({ ok: true, value: m.value!.toString() }), deadLetters: async (c) => { dead.push(...c); },
      handle: async (tx, items) => items.map((i) => ({ cause: i.message, event: done(i.value) })),
    }, { publisher, transaction: transactions().transaction, signal: new AbortController().signal, log }, new Progress("g", ["t"]));
    await run([inbound("a"), inbound("huge", "1"), inbound("b", "2")]);
    expect(publisher.sent.map((m) => m.key)).toEqual(["a", "b"]);
    expect(dead.map((d) => [d.message.offset, d.failure.class])).toEqual([["1", "kafka_rejected"]]);
  });
});

describe("retry", () => {
  test("a message alone gets three tries when its failure is not known to be transient", async () => {
    let calls = 0;
    const handler = retry<number>({ signal: new AbortController().signal, log, initialDelayMs: 1 })(async () => { calls++; throw new RangeError("bad"); });
    await expect(handler([1])).rejects.toMatchObject({ attempts: 3, failure: { class: "internal" } });
    expect(calls).toBe(3);
  });

  test("a batch that fails for good is given up at once, for isolate to halve", async () => {
    let calls = 0;
    const handler = retry<number>({ signal: new AbortController().signal, log, initialDelayMs: 1 })(async () => { calls++; throw new TypeError("x"); });
    await expect(handler([1, 2])).rejects.toMatchObject({ attempts: 1 });
    expect(calls).toBe(1);
  });

  test("stops waiting when the consumer stops, without succeeding", async () => {
    const stop = new AbortController();
    const handler = retry<number>({ signal: stop.signal, log, initialDelayMs: 60_000 })(async () => { throw dbDown(); });
    const running = handler([1]);
    setTimeout(() => stop.abort(), 5);
    await expect(running).rejects.toBeInstanceOf(Aborted);
  });
});

describe("dead letters", () => {
  const casualty = (message: Inbound): Casualty => ({ message, failure: { class: "internal", transient: false, message: "Invalid time value" }, attempts: 4 });

  test("a dead letter is the original, every header included, plus why, the error class and the attempts; replay gives the original back", () => {
    const raw = { type: "PlaceOrder", "correlation-id": ["c1", "c2"], "dlq-reason": "forged" };
    const original = { ...inbound("any"), value: Buffer.from([0xff, 0x00, 0x41]), rawHeaders: raw };
    const letter = deadLetterMessage("orders.dlq", casualty(original));
    expect(letter).toEqual({
      topic: "orders.dlq", key: "k-any", value: Buffer.from([0xff, 0x00, 0x41]),
      headers: {
        type: "PlaceOrder", "correlation-id": ["c1", "c2"], "dlq-reason": "Invalid time value", "dlq-error-class": "internal", "dlq-attempts": "4",
        "dlq-source-topic": "orders.commands", "dlq-source-partition": "2", "dlq-source-offset": "0",
      },
    });
    expect(replayOf({ sourceTopic: "orders.commands", key: "k-any", value: letter.value as Buffer, headers: { type: "PlaceOrder", "dlq-reason": "x" } }))
      .toEqual({ topic: "orders.commands", key: "k-any", value: Buffer.from([0xff, 0x00, 0x41]), headers: { type: "PlaceOrder" } });
  });

  test("a copy the dead-letter topic refuses is sent truncated, flagged with the original size", async () => {
    const publisher = new RecordingPublisher((m) => (m.value as Buffer).length > 100_000);
    const sink = toDeadLetterTopic({ topic: "orders.dlq", publisher, signal: new AbortController().signal, log });
    const huge = { ...inbound("h"), value: Buffer.alloc(2_000_000, 0x61), rawHeaders: { "correlation-id": "c".repeat(5_000) } };
    await sink([casualty(inbound("small")), casualty(huge)]);
    expect(publisher.sent.map((m) => [(m.value as Buffer).length, m.headers["dlq-truncated"]])).toEqual([[5, undefined], [64 * 1024, "2000000"]]);
    expect((publisher.sent[1]!.headers["correlation-id"] as Buffer).length).toBe(1024);
    expect(truncatedDeadLetterMessage("orders.dlq", casualty(huge)).headers["dlq-error-class"]).toBe("internal");
  });
});

describe("Progress", () => {
  test("stalled while holding messages with no commit for the stall time; idle is never stalled", () => {
    const p = new Progress("g", ["t"], 1_000);
    const t0 = Date.now();
    expect(p.stalled(t0 + 5_000)).toBe(false);
    p.took();
    expect(p.stalled(t0 + 500)).toBe(false);
    expect(p.stalled(t0 + 1_500)).toBe(true);
    p.committed();
    expect(p.stalled(Date.now() + 500)).toBe(false);
    p.released();
    expect(p.stalled(Date.now() + 5_000)).toBe(false);
  });

  test("stalled when its partitions have had messages waiting for the stall time with no commit, though it holds none", () => {
    const p = new Progress("g", ["t"], 1_000);
    const t0 = Date.now();
    p.lagged(0, t0);
    expect(p.stalled(t0 + 5_000)).toBe(false);
    p.lagged(8, t0);
    p.lagged(8, t0 + 500);
    expect(p.stalled(t0 + 900)).toBe(false);
    expect(p.stalled(t0 + 1_000)).toBe(true);
    p.committed();
    expect(p.stalled(t0 + 5_000)).toBe(false);
    p.lagged(3, t0 + 5_000);
    expect(p.stalled(t0 + 5_500)).toBe(false);
    p.lagged(0, t0 + 5_600);
    expect(p.stalled(t0 + 9_000)).toBe(false);
  });
});
