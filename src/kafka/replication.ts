import type { Admin, ITopicMetadata } from "kafkajs";

export type Replication = { replicationFactor: number; minInsyncReplicas: number };

/**
 * The contract's rule: as many replicas as asked, else three or as many as there are brokers; a
 * write is acknowledged once all but one replica has it, so one broker can be lost without losing
 * an acknowledged write or refusing new ones.
 */
export function replicationFor(brokers: number, configured?: number): Replication {
  const replicationFactor = configured ?? Math.max(1, Math.min(3, brokers));
  if (replicationFactor > brokers) {
    throw new Error(`KAFKA_REPLICATION_FACTOR is ${replicationFactor} but the cluster has ${brokers} broker${brokers === 1 ? "" : "s"} up`);
  }
  return { replicationFactor, minInsyncReplicas: Math.max(1, replicationFactor - 1) };
}

export type UnderReplicated = { topic: string; replicas: number };

/** Topics with fewer replicas than `replicationFactor`: created when the cluster was smaller, or by hand. */
export function underReplicated(topics: ITopicMetadata[], replicationFactor: number): UnderReplicated[] {
  return topics
    .map((t) => ({ topic: t.name, replicas: Math.min(...t.partitions.map((p) => p.replicas.length)) }))
    .filter((t) => t.replicas < replicationFactor)
    .sort((a, b) => a.topic.localeCompare(b.topic));
}

/** What this instance should create topics with, given the brokers that answer now. */
export async function clusterReplication(admin: Admin, configured?: number): Promise<Replication> {
  const { brokers } = await admin.describeCluster();
  return replicationFor(brokers.length, configured);
}
