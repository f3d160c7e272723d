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
 * Ready: PostgreSQL and Kafka answer, this instance's consumers have joined and none of them is
 * stalled (nothing committed for 30 s with messages in hand or waiting on its partitions), and it is
 * not stopping.
 */
export function readiness(sql: Sql, admin: Admin, consumers: () => Consumer[], stopping: () => boolean) {
  return async (): Promise<string[]> => {
    if (stopping()) return ["shutting down"];
    const [db, kafka] = await Promise.all([reachable(() => sql`SELECT 1`), reachable(() => admin.describeCluster())]);
    return [
      ...(db ? [] : ["postgres"]),
      ...(kafka ? [] : ["kafka"]),
      ...consumers().filter((c) => !c.joined()).map((c) => `consumer ${c.groupId}`),
      ...consumers().filter((c) => c.joined() && c.progress.stalled()).map((c) => `consumer ${c.groupId} stalled${c.progress.lastError ? ` (${c.progress.lastError.class})` : ""}`),
    ];
  };
}
