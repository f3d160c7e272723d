import type { Admin } from "kafkajs";
import type { Sql } from "./db/client.ts";
import type { Consumer } from "./kafka/chain.ts";
import { within } from "./waiting.ts";

async function reachable(check: () => Promise<unknown>): Promise<boolean> {
  try {
    await within(2_000, check());
    return true;
  } catch {
    return false;
  }
}

/**
 * Ready: PostgreSQL and Kafka answer, this instance's consumers have joined, none of the order
 * pipeline's is stalled (nothing committed for 30 s with messages in hand or waiting on its
 * partitions), and it is not stopping. The notifier's stall does not count: an SMTP server that is
 * down holds back the mails, never the orders this instance takes.
 */
export function readiness(sql: Sql, admin: Admin, { pipeline, notifier }: { pipeline: () => Consumer[]; notifier: () => Consumer | undefined }, stopping: () => boolean) {
  return async (): Promise<string[]> => {
    if (stopping()) return ["shutting down"];
    const [db, kafka] = await Promise.all([reachable(() => sql`SELECT 1`), reachable(() => admin.describeCluster())]);
    const consumers = pipeline();
    const mailer = notifier();
    return [
      ...(db ? [] : ["postgres"]),
      ...(kafka ? [] : ["kafka"]),
      ...[...consumers, ...(mailer ? [mailer] : [])].filter((c) => !c.joined()).map((c) => `consumer ${c.groupId}`),
      ...consumers.filter((c) => c.joined() && c.progress.stalled()).map((c) => `consumer ${c.groupId} stalled${c.progress.lastError ? ` (${c.progress.lastError.class})` : ""}`),
    ];
  };
}
