import type { Admin } from "kafkajs";
import type { Namespace } from "../../src/kafka/topics.ts";

export type ConsumerLag = { commands: number; placed: number };

/** Messages a group has yet to commit on a topic: where in the pipeline the backlog waits. */
async function lagOf(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [ends, [committed]] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
  const done = new Map(committed?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
  return ends.reduce((sum, p) => sum + Math.max(0, Number(p.offset) - Math.max(0, done.get(p.partition) ?? 0)), 0);
}

/** The shop's two consumer groups: PlaceOrder commands not yet placed, OrderPlaced events not yet confirmed. */
export async function consumerLag(admin: Admin, { groups, topics }: Namespace): Promise<ConsumerLag> {
  const [commands, placed] = await Promise.all([lagOf(admin, groups.commands, topics.commands), lagOf(admin, groups.events, topics.placed)]);
  return { commands, placed };
}
