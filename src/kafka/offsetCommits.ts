import type { TopicOffsets } from "kafkajs";
import { MicroBatcher } from "./microBatcher.ts";

type Send = (offsets: { topics: TopicOffsets[] }) => Promise<void>;

/**
 * A partition's next offset to commit, the function of its batch that commits offsets, and which
 * run of the consumer the batch came from (kafkajs starts a new one, a new group member, after a crash).
 */
export type Commit = { topic: string; partition: number; offset: string; send: Send; run: number };

/**
 * The offsets of every partition whose batch finished in the same round go to Kafka in one
 * OffsetCommit: the chain handles all partitions' batches as one, so they finish together, and a
 * request each would be six round trips (and six writes to the broker's offsets log) instead of one.
 * Commits are joined only when their batches came from the same run of the consumer: a batch still
 * finishing from before kafkajs restarted the consumer commits as the old member, and the broker's
 * refusal of that must not fail the new member's commits too.
 */
export function commitsTogether(): (commit: Commit) => Promise<void> {
  const batcher = new MicroBatcher<Commit>({
    caps: [],
    run: async (batch) => {
      await Promise.all([...Map.groupBy(batch, (w) => w.value.run).values()].map(async (commits) => {
        try {
          await commits[0]!.value.send(request(commits.map((w) => w.value)));
          for (const w of commits) w.resolve();
        } catch (error) {
          for (const w of commits) w.reject(error);
        }
      }));
    },
  });
  return (commit) => batcher.add(commit);
}

/** One OffsetCommit for `commits`, each partition at the highest offset among them. */
function request(commits: readonly Commit[]): { topics: TopicOffsets[] } {
  const topics = new Map<string, Map<number, string>>();
  for (const { topic, partition, offset } of commits) {
    const partitions = topics.get(topic) ?? new Map<number, string>();
    const before = partitions.get(partition);
    if (before === undefined || BigInt(offset) > BigInt(before)) partitions.set(partition, offset);
    topics.set(topic, partitions);
  }
  return { topics: [...topics].map(([topic, partitions]) => ({ topic, partitions: [...partitions].map(([partition, offset]) => ({ partition, offset })) })) };
}
