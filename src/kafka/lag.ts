import type { Admin } from "kafkajs";
export type Subscription = { group: string; topic: string };

/** Messages a group has yet to commit on one partition of its topic. */
export type Lag = Subscription & { partition: number; lag: number };

/**
 * How far each group's committed offsets trail the end of its topic, per partition. A partition
 * the group never committed counts from the start of the log.
 */
export async function consumerLag(admin: Admin, subscriptions: readonly Subscription[]): Promise<Lag[]> {
  const perGroup = await Promise.all(subscriptions.map(async ({ group, topic }) => {
    const [committed, ends] = await Promise.all([
      admin.fetchOffsets({ groupId: group, topics: [topic] }),
      admin.fetchTopicOffsets(topic),
    ]);
    const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    return ends.map(({ partition, high, low }) => {
      const at = done.get(partition) ?? -1;
      return { group, topic, partition, lag: Math.max(0, Number(high) - (at >= 0 ? at : Number(low))) };
    });
  }));
  return perGroup.flat();
}
