import { describe, expect, test } from "bun:test";
import { logLevel } from "kafkajs";
import { kafkaLogger, levelOf } from "../../src/kafka/client.ts";
import { crashLevel } from "../../src/kafka/consumer.ts";
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
  const loading = { message: "The coordinator is loading and hence can't process requests for this group" };
  const refused = { message: "Connection error: connect ECONNREFUSED 127.0.0.1:9092" };

  test("the first crash kafkajs restarts is info for a broker still starting, warn otherwise; the next ones until it joins again are debug", () => {
    expect(crashLevel(loading, true, 1)).toBe("info");
    expect(crashLevel(refused, true, 1)).toBe("warn");
    for (const crashes of [2, 3, 20]) expect(crashLevel(refused, true, crashes)).toBe("debug");
  });

  test("a crash kafkajs does not restart leaves the consumer stopped: error, every time", () => {
    const notFound = { message: "Failed to find group coordinator" };
    for (const crashes of [1, 2, 20]) expect(crashLevel(notFound, false, crashes)).toBe("error");
  });
});
