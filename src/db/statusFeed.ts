import type { Logger } from "../log.ts";
import type { Sql } from "./client.ts";
import { STATUS_CHANNEL, type StatusChange } from "./orders.ts";

export type StatusFeed = {
  subscribe(orderId: string, listener: (change: StatusChange) => void): () => void;
  close(): Promise<void>;
};

/**
 * Fans PostgreSQL notifications about order status out to the streams watching those orders.
 * Every instance listens, so a stream sees a change whichever instance's consumer made it.
 */
export async function listenForStatusChanges(sql: Sql, log: Logger): Promise<StatusFeed> {
  const listeners = new Map<string, Set<(change: StatusChange) => void>>();
  const { unlisten } = await sql.listen(STATUS_CHANNEL, (payload) => {
    let changes: StatusChange[];
    try {
      changes = JSON.parse(payload);
    } catch (error) {
      return log.warn("unreadable status notification", { err: error });
    }
    for (const change of changes) for (const listener of listeners.get(change.id) ?? []) listener(change);
  });
  return {
    subscribe(orderId, listener) {
      const set = listeners.get(orderId) ?? new Set();
      set.add(listener);
      listeners.set(orderId, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(orderId);
      };
    },
    close: unlisten,
  };
}
