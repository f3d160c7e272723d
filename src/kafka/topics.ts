import type { Admin } from "kafkajs";

export const TOPICS = {
  commands: "orders.commands",
  placed: "orders.placed",
  rejected: "orders.rejected",
  confirmed: "orders.confirmed",
  dlq: "orders.dlq",
} as const;

export const GROUPS = {
  commands: "shop-order-commands",
  events: "shop-order-events",
  deadLetters: "shop-dead-letters",
} as const;

/** Which group reads which topic: the worker role's consumers. */
export const SUBSCRIPTIONS = [
  { group: GROUPS.commands, topic: TOPICS.commands },
  { group: GROUPS.events, topic: TOPICS.placed },
  { group: GROUPS.deadLetters, topic: TOPICS.dlq },
] as const;

/** Creates the topics that are missing; safe when several instances start at once. */
export async function ensureTopics(admin: Admin, partitions: number): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = Object.values(TOPICS).filter((t) => !existing.has(t));
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
