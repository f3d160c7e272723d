import { describe, expect, test } from "bun:test";
import { logLevel } from "kafkajs";
import { levelOf } from "../../src/kafka/client.ts";

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
    expect(levelOf(logLevel.ERROR, { message: "Restarting the consumer in 300ms" })).toBe("info");
  });

  test("anything else keeps its level", () => {
    expect(levelOf(logLevel.ERROR, { message: "Connection error: connect ECONNREFUSED 127.0.0.1:9092" })).toBe("error");
    expect(levelOf(logLevel.ERROR, { message: "Response Produce(key: 0, version: 7)", error: "The request included a message larger than the max message size the server will accept" })).toBe("error");
    expect(levelOf(logLevel.WARN, { message: "KafkaJS v2.0.0 switched default partitioner" })).toBe("warn");
    expect(levelOf(logLevel.DEBUG, { message: "Request Metadata" })).toBe("debug");
  });
});
