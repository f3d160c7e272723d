import { expect, test } from "bun:test";
import { Progress } from "../../src/kafka/progress.ts";
import type { Consumer } from "../../src/kafka/chain.ts";
import { recordLag } from "../../src/kafka/stallWatch.ts";

function consumer(groupId: string, topic: string, partitions: number[]): Consumer {
  return { groupId, joined: () => partitions.length > 0, partitions: () => partitions.map((partition) => ({ topic, partition })), stop: async () => {}, progress: new Progress(groupId, [topic], 1_000) };
}

test("only the lag on the partitions this instance owns counts towards its consumers' stall", () => {
  const events = consumer("events", "orders.placed", [0, 2]);
  const commands = consumer("commands", "orders.commands", [1]);
  const idle = consumer("dlq", "orders.dlq", []);
  const t0 = Date.now();
  recordLag([events, commands, idle], [
    { group: "events", topic: "orders.placed", partition: 0, lag: 0 },
    { group: "events", topic: "orders.placed", partition: 1, lag: 50 },
    { group: "events", topic: "orders.placed", partition: 2, lag: 8 },
    { group: "commands", topic: "orders.commands", partition: 0, lag: 40 },
    { group: "commands", topic: "orders.commands", partition: 1, lag: 0 },
    { group: "dlq", topic: "orders.dlq", partition: 0, lag: 3 },
  ], t0);
  expect([events, commands, idle].map((c) => c.progress.stalled(t0 + 1_000))).toEqual([true, false, false]);
});
