import type { Admin } from "kafkajs";

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

/** Creates the topics that are missing; safe when several instances start at once. */
export async function ensureTopics(admin: Admin, topics: Topics, partitions: number): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = Object.values(topics).filter((t) => !existing.has(t));
  if (missing.length === 0) return [];
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: -1 })),
    });
  } catch (error) {
    // Another instance may have created them in between; what matters is that they exist now.
    const now = new Set(await admin.listTopics());
    if (missing.some((t) => !now.has(t))) throw error;
  }
  return missing;
}
