import type { Admin } from "kafkajs";
import type { Logger } from "../log.ts";
import { clusterReplication, underReplicated, type Replication, type UnderReplicated } from "./replication.ts";

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
    cancelled: `${prefix}orders.cancelled`,
    shipped: `${prefix}orders.shipped`,
    delivered: `${prefix}orders.delivered`,
    refused: `${prefix}orders.refused`,
    dlq: `${prefix}orders.dlq`,
    catalogCommands: `${prefix}catalog.commands`,
    catalogEvents: `${prefix}catalog.events`,
  } as const;
  const groups = {
    commands: `${prefix}shop-order-commands`,
    events: `${prefix}shop-order-events`,
    deadLetters: `${prefix}shop-dead-letters`,
    catalog: `${prefix}shop-catalog-commands`,
    notifier: `${prefix}shop-notifier`,
  } as const;
  return {
    prefix,
    topics,
    groups,
    /** Which group reads which topic: the worker role's consumers, then the notifier's. */
    subscriptions: [
      { group: groups.commands, topic: topics.commands },
      { group: groups.events, topic: topics.placed },
      { group: groups.deadLetters, topic: topics.dlq },
      { group: groups.catalog, topic: topics.catalogCommands },
      // The notifier role's.
      { group: groups.notifier, topic: topics.confirmed },
      { group: groups.notifier, topic: topics.rejected },
      { group: groups.notifier, topic: topics.cancelled },
      { group: groups.notifier, topic: topics.shipped },
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

/**
 * The topics ready for a shop to start on: the missing ones created as the brokers that answer now
 * call for, and a warning for each existing one with fewer replicas, which a person must add.
 */
export async function prepareTopics(admin: Admin, topics: Topics, { partitions, replicationFactor }: { partitions: number; replicationFactor?: number }, log: Logger): Promise<void> {
  const replication = await clusterReplication(admin, replicationFactor);
  const { created, underReplicated } = await ensureTopics(admin, topics, partitions, replication);
  if (created.length > 0) log.info("topics created", { topics: created, partitions, ...replication });
  for (const { topic, replicas } of underReplicated) {
    log.warn(`topic ${topic} has ${replicas} replica${replicas === 1 ? "" : "s"} where this cluster calls for ${replication.replicationFactor}: losing a broker can lose its acknowledged messages; add replicas with kafka-reassign-partitions.sh (README, Running in production)`, { topic, replicas, replicationFactor: replication.replicationFactor });
  }
}
