import { describe, expect, test } from "bun:test";
import { logLevel } from "kafkajs";
import { kafkaLogger, levelOf } from "../../src/kafka/client.ts";
import type { Kafka } from "kafkajs";
import { crashLevels, runConsumer } from "../../src/kafka/consumer.ts";
import { Progress } from "../../src/kafka/progress.ts";
import { createLogger } from "../../src/log.ts";

describe("kafkajs log levels", () => {
  test("what a broker says while it starts or a group forms is info, not an error", () => {
    for (const error of [
      "The coordinator is loading and hence can't process requests for this group",
      "The group coordinator is not available",
      "The group is rebalancing, so a rejoin is needed",
      "There is no leader for this topic-partition as we are in the middle of a leadership election",
    ]) {
      expect(levelOf(logLevel.ERROR, { message: "Response GroupCoordinator(key: 10, version: 2)", error })).toBe("info");
    }
  });

  test("a healthy cold start: kafkajs's own crash line is not an error (kafka/consumer.ts logs each crash)", () => {
    expect(levelOf(logLevel.ERROR, { message: "Crash: KafkaJSProtocolError: The coordinator is loading and hence can't process requests for this group" })).toBe("debug");
    expect(levelOf(logLevel.ERROR, { message: "Crash: KafkaJSNumberOfRetriesExceeded: Connection error: connect ECONNREFUSED 127.0.0.1:9092" })).toBe("debug");
    expect(levelOf(logLevel.ERROR, { message: "Restarting the consumer in 300ms" })).toBe("debug");
  });

  test("a broker out of reach is warn, not error", () => {
    for (const message of [
      "Connection error: connect ECONNREFUSED 127.0.0.1:9092",
      "Connection error: read ECONNRESET",
      "Connection error: write EPIPE",
      "Connection timeout",
      "Failed to connect to seed broker, trying another broker from the list: Connection error: connect ECONNREFUSED 127.0.0.1:9092",
    ]) expect(levelOf(logLevel.ERROR, { message })).toBe("warn");
  });

  test("anything else keeps its level", () => {
    expect(levelOf(logLevel.ERROR, { message: "Connection error: unable to verify the first certificate" })).toBe("error");
    expect(levelOf(logLevel.ERROR, { message: "SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512" })).toBe("error");
    expect(levelOf(logLevel.ERROR, { message: "Response Produce(key: 0, version: 7)", error: "The request included a message larger than the max message size the server will accept" })).toBe("error");
    expect(levelOf(logLevel.WARN, { message: "KafkaJS v2.0.0 switched default partitioner" })).toBe("warn");
    expect(levelOf(logLevel.DEBUG, { message: "Request Metadata" })).toBe("debug");
  });
});

/** What kafkajs logs, line after line, while the broker restarts (taken from a shop's log of one). */
const BROKER_RESTART: { namespace: string; log: { message: string; error?: string; broker?: string } }[] = [
  { namespace: "Connection", log: { message: "Connection error: connect ECONNREFUSED 127.0.0.1:9092", broker: "127.0.0.1:9092" } },
  { namespace: "Connection", log: { message: "Connection error: read ECONNRESET", broker: "127.0.0.1:9092" } },
  { namespace: "BrokerPool", log: { message: "Failed to connect to seed broker, trying another broker from the list: Connection error: connect ECONNREFUSED 127.0.0.1:9092" } },
  { namespace: "Connection", log: { message: "Response GroupCoordinator(key: 10, version: 2)", error: "The group coordinator is not available" } },
  { namespace: "Consumer", log: { message: "Crash: KafkaJSNumberOfRetriesExceeded: Connection error: connect ECONNREFUSED 127.0.0.1:9092" } },
  { namespace: "Consumer", log: { message: "Restarting the consumer in 300ms" } },
];

describe("kafkajs's lines in our log", () => {
  /** A logger into a list, and a clock the test moves. */
  function capture(level: "info" | "debug" = "info") {
    const lines: { level: string; msg: string }[] = [];
    let clock = 0;
    const write = kafkaLogger(createLogger(level, {}, (line) => void lines.push(JSON.parse(line))), () => clock);
    const replay = (times: number) => {
      for (let i = 0; i < times; i++) {
        for (const { namespace, log } of BROKER_RESTART) write({ namespace, level: logLevel.ERROR, label: "ERROR", log: { timestamp: "", logger: "kafkajs", ...log } });
      }
    };
    return { lines, replay, advance: (ms: number) => { clock += ms; } };
  }

  test("a broker restart writes each line once, none at error, however many connections retry", () => {
    const { lines, replay, advance } = capture();
    for (let second = 0; second < 50; second++) {
      replay(10);
      advance(1_000);
    }
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ["warn", "Connection error: connect ECONNREFUSED 127.0.0.1:9092"],
      ["warn", "Connection error: read ECONNRESET"],
      ["warn", "Failed to connect to seed broker, trying another broker from the list: Connection error: connect ECONNREFUSED 127.0.0.1:9092"],
      ["info", "Response GroupCoordinator(key: 10, version: 2)"],
    ]);
  });

  test("after a minute of quiet the same line is news again", () => {
    const { lines, replay, advance } = capture();
    replay(3);
    advance(60_000);
    replay(3);
    expect(lines.filter((l) => l.msg === "Connection error: read ECONNRESET")).toHaveLength(2);
  });

  test("LOG_LEVEL=debug still shows every line", () => {
    const { lines, replay } = capture("debug");
    replay(10);
    expect(lines).toHaveLength(10 * BROKER_RESTART.length);
    expect(lines.filter((l) => l.level === "error")).toEqual([]);
  });
});

describe("a consumer's crashes", () => {
  const loading = { name: "KafkaJSProtocolError", message: "The coordinator is loading and hence can't process requests for this group" };
  const refused = { name: "KafkaJSNumberOfRetriesExceeded", message: "Connection error: connect ECONNREFUSED 127.0.0.1:9092" };
  // What kafkajs crashes with, and does not restart, when no broker answered long enough.
  const noCoordinator = { name: "KafkaJSNonRetriableError", message: "Failed to find group coordinator", cause: { name: "KafkaJSGroupCoordinatorNotFound", message: "Failed to find group coordinator" } };
  const forbidden = { name: "KafkaJSNonRetriableError", message: "Not authorized to access group" };

  test("a cold start: the coordinator loading is info", () => {
    expect(crashLevels().of(loading, true)).toBe("info");
  });

  test("a broker down: one warn line until the consumer joins again, however often it crashes", () => {
    const levels = crashLevels();
    const seen = [levels.of(refused, true), levels.of(noCoordinator, false), levels.of(refused, true), levels.of(noCoordinator, false)];
    expect(seen).toEqual(["warn", "debug", "debug", "debug"]);
    levels.joined();
    expect(levels.of(refused, true)).toBe("warn");
  });

  test("a crash kafkajs gives up on for another reason is an error, once, even after warnings", () => {
    const levels = crashLevels();
    expect([levels.of(refused, true), levels.of(forbidden, false), levels.of(forbidden, false)]).toEqual(["warn", "error", "debug"]);
  });
});

describe("a consumer kafkajs gives up on", () => {
  /** A kafkajs consumer that only records its runs, and crashes when the test says. */
  function fakeKafka() {
    const handlers = new Map<string, (event: unknown) => void>();
    const runs: (() => void)[] = [];
    let ran = 0;
    const consumer = {
      events: { GROUP_JOIN: "join", CRASH: "crash", STOP: "stop" },
      on: (event: string, handler: (event: unknown) => void) => { handlers.set(event, handler); },
      connect: async () => {},
      subscribe: async () => {},
      run: async () => { ran++; runs.splice(0).forEach((resolve) => resolve()); },
      disconnect: async () => {},
    };
    return {
      kafka: { consumer: () => consumer } as unknown as Kafka,
      crash: (error: unknown, restart: boolean) => handlers.get("crash")!({ payload: { error, restart } }),
      nextRun: () => new Promise<void>((resolve) => runs.push(resolve)),
      runs: () => ran,
    };
  }
  const options = (kafka: Kafka) => ({
    kafka, groupId: "g", topics: ["t"], handler: async () => {}, log: createLogger("error", {}, () => {}), progress: new Progress("g", ["t"]), restartMs: 10,
  });

  test("is started again: with every broker down kafkajs gave up finding the coordinator, and the consumer never came back", async () => {
    const fake = fakeKafka();
    await runConsumer(options(fake.kafka));
    expect(fake.runs()).toBe(1);
    const rerun = fake.nextRun();
    fake.crash({ name: "KafkaJSNonRetriableError", message: "Failed to find group coordinator" }, false);
    await rerun;
    expect(fake.runs()).toBe(2);
  });

  test("but not once it is stopping, nor after a crash kafkajs restarts itself", async () => {
    const fake = fakeKafka();
    const running = await runConsumer(options(fake.kafka));
    fake.crash({ name: "KafkaJSNumberOfRetriesExceeded", message: "Connection error" }, true);
    await running.stop();
    fake.crash({ name: "KafkaJSNonRetriableError", message: "Failed to find group coordinator" }, false);
    await Bun.sleep(50);
    expect(fake.runs()).toBe(1);
  });
});
