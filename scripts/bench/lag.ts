import type { Admin } from "kafkajs";
import { consumerLag as partitionLag } from "../../src/kafka/lag.ts";
import type { Namespace } from "../../src/kafka/topics.ts";

export type ConsumerLag = { commands: number; placed: number };

/** Messages a group has yet to commit on a topic, counted as the shop's metrics count them. */
async function lagOf(admin: Admin, group: string, topic: string): Promise<number> {
  return (await partitionLag(admin, [{ group, topic }])).reduce((sum, p) => sum + p.lag, 0);
}

/** The shop's two consumer groups: PlaceOrder commands not yet placed, OrderPlaced events not yet confirmed. */
export async function consumerLag(admin: Admin, { groups, topics }: Namespace): Promise<ConsumerLag> {
  const [commands, placed] = await Promise.all([lagOf(admin, groups.commands, topics.commands), lagOf(admin, groups.events, topics.placed)]);
  return { commands, placed };
}
