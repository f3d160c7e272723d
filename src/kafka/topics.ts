import type { Admin } from "kafkajs";
import { underReplicated, type Replication, type UnderReplicated } from "./replication.ts";

/**
 * Every topic and consumer group name of one shop, carrying its `KAFKA_TOPIC_PREFIX`: several shops,
 * or a shop and its test suite, can then share a cluster without reading each other's messages or
 * taking each other's partitions.
 */
export function namespace(prefix = "") {
  const topics = {
    commands: `${prefix}orders.commands`,
    placed: `${prefix}orders.placed`,
    rejected: `${prefix}orders.rejected`,
    confirmed: `${prefix}orders.confirmed`,
    dlq: `${prefix}orders.dlq`,
    catalogCommands: `${prefix}catalog.commands`,
    catalogEvents: `${prefix}catalog.events`,
  } as const;
  const groups = {
    commands: `${prefix}shop-order-commands`,
    events: `${prefix}shop-order-events`,
    deadLetters: `${prefix}shop-dead-letters`,
    catalog: `${prefix}shop-catalog-commands`,
  } as const;
  return {
    prefix,
    topics,
    groups,
    /** Which group reads which topic: the worker role's consumers. */
    subscriptions: [
      { group: groups.commands, topic: topics.commands },
      { group: groups.events, topic: topics.placed },
      { group: groups.deadLetters, topic: topics.dlq },
      { group: groups.catalog, topic: topics.catalogCommands },
    ],
  };
}

export type Namespace = ReturnType<typeof namespace>;
export type Topics = Namespace["topics"];

/**
 * Creates the topics that are missing, replicated as asked; safe when several instances start at
 * once. Reports the existing ones with fewer replicas than that: Kafka does not add replicas to a
 * topic by itself, so a shop that outgrew one broker must be told.
 */
export async function ensureTopics(admin: Admin, topics: Topics, partitions: number, replication: Replication): Promise<{ created: string[]; underReplicated: UnderReplicated[] }> {
  const names = Object.values(topics) as string[];
  const existing = new Set(await admin.listTopics());
  const missing = names.filter((t) => !existing.has(t));
  if (missing.length > 0) {
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: partitions,
          replicationFactor: replication.replicationFactor,
          configEntries: [{ name: "min.insync.replicas", value: String(replication.minInsyncReplicas) }],
        })),
      });
    } catch (error) {
      // Another instance may have created them in between; what matters is that they exist now.
      const now = new Set(await admin.listTopics());
      if (missing.some((t) => !now.has(t))) throw error;
    }
  }
  const { topics: metadata } = await admin.fetchTopicMetadata({ topics: names });
  return { created: missing, underReplicated: underReplicated(metadata, replication.replicationFactor) };
}
