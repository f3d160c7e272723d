import { describe, expect, test } from "bun:test";
import type { TopicOffsets } from "kafkajs";
import { commitsTogether } from "../../src/kafka/offsetCommits.ts";

type Sent = { topics: TopicOffsets[] };

describe("commitsTogether", () => {
  test("the partitions of one round go to Kafka in one request, each at its highest offset", async () => {
    const sent: Sent[] = [];
    const send = async (offsets: Sent) => { sent.push(offsets); };
    const commit = commitsTogether();
    await Promise.all([
      commit({ topic: "a", partition: 0, offset: "10", send, run: 0 }),
      commit({ topic: "a", partition: 1, offset: "7", send, run: 0 }),
      commit({ topic: "a", partition: 0, offset: "9", send, run: 0 }),
      commit({ topic: "b", partition: 0, offset: "100000000000000000001", send, run: 0 }),
      commit({ topic: "b", partition: 0, offset: "99999999999999999999", send, run: 0 }),
    ]);
    expect(sent).toEqual([{
      topics: [
        { topic: "a", partitions: [{ partition: 0, offset: "10" }, { partition: 1, offset: "7" }] },
        { topic: "b", partitions: [{ partition: 0, offset: "100000000000000000001" }] },
      ],
    }]);
  });

  test("commits handed over while a request is in flight go together in the next", async () => {
    const sent: Sent[] = [];
    let release!: () => void;
    const first = new Promise<void>((resolve) => { release = resolve; });
    const send = async (offsets: Sent) => { sent.push(offsets); if (sent.length === 1) await first; };
    const commit = commitsTogether();
    const a = commit({ topic: "t", partition: 0, offset: "1", send, run: 0 });
    await Bun.sleep(1);
    const b = commit({ topic: "t", partition: 1, offset: "2", send, run: 0 });
    const c = commit({ topic: "t", partition: 2, offset: "3", send, run: 0 });
    release();
    await Promise.all([a, b, c]);
    expect(sent.map((s) => s.topics[0]!.partitions.map((p) => p.partition))).toEqual([[0], [1, 2]]);
  });

  test("a failed request fails every partition that was in it, for kafkajs to deliver their batches again", async () => {
    const commit = commitsTogether();
    const send = async () => { throw new Error("REBALANCE_IN_PROGRESS"); };
    const results = await Promise.allSettled([
      commit({ topic: "t", partition: 0, offset: "1", send, run: 0 }),
      commit({ topic: "t", partition: 1, offset: "1", send, run: 0 }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });

  test("commits from different runs of the consumer go in requests of their own: one refused fails only its own", async () => {
    const commit = commitsTogether();
    const sent: Sent[] = [];
    const stale = async () => { throw new Error("ILLEGAL_GENERATION"); };
    const current = async (offsets: Sent) => { sent.push(offsets); };
    const results = await Promise.allSettled([
      commit({ topic: "t", partition: 0, offset: "5", send: stale, run: 1 }),
      commit({ topic: "t", partition: 1, offset: "6", send: current, run: 2 }),
      commit({ topic: "t", partition: 2, offset: "7", send: current, run: 2 }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled", "fulfilled"]);
    expect(sent).toEqual([{ topics: [{ topic: "t", partitions: [{ partition: 1, offset: "6" }, { partition: 2, offset: "7" }] }] }]);
  });
});
