import type { Logger } from "../log.ts";
import type { Sql } from "./client.ts";
import type { StatusEvent } from "../orders/schemas.ts";
import { getStatuses, STATUS_CHANNEL, type StatusChange } from "./orders.ts";

/** Where the feed's news comes from: PostgreSQL's notifications, and one query for many orders. */
export type StatusSource = {
  listen(onPayload: (payload: string) => void): Promise<{ unlisten(): Promise<void> }>;
  read(ids: string[]): Promise<StatusEvent[]>;
};

export const postgresStatusSource = (sql: Sql): StatusSource => ({
  listen: (onPayload) => sql.listen(STATUS_CHANNEL, onPayload),
  read: (ids) => getStatuses(sql, ids),
});

/** `undefined`: the order is not in the database (yet). A change announced by a traced message carries its traceparent. */
export type StatusListener = (change: StatusChange | undefined) => void;

export type StatusFeed = {
  /**
   * Tells `listener` the order's status as soon as it is read, then every change. Reads are shared:
   * whatever the number of watchers, one query reads the new ones and one per interval repairs all.
   */
  watch(orderId: string, listener: StatusListener): () => void;
  /** Orders watched now, for the metrics. */
  readonly watched: number;
  close(): Promise<void>;
};

/** A first read waits this long for other new watchers to share its query. */
const FIRST_READ_WAIT_MS = 10;
/** NOTIFY is not durable: one lost while the listener reconnected is repaired within this. */
export const REPAIR_EVERY_MS = 5_000;

/**
 * The instance's one status feed: PostgreSQL notifications about order status, fanned out to the
 * event streams watching those orders. Every instance listens, so a stream sees a change whichever
 * instance's consumer made it.
 */
export async function listenForStatusChanges(source: StatusSource, log: Logger, repairEveryMs = REPAIR_EVERY_MS): Promise<StatusFeed> {
  const listeners = new Map<string, Set<StatusListener>>();
  const unread = new Set<string>();
  let firstRead: Timer | undefined;

  const deliver = (id: string, change: StatusChange | undefined) => {
    for (const listener of listeners.get(id) ?? []) listener(change);
  };

  /** Reads `ids` in one query; with `absentToo`, tells the watchers of ids not found so as well. */
  const read = async (ids: string[], absentToo: boolean) => {
    if (ids.length === 0) return;
    let found: StatusEvent[];
    try {
      found = await source.read(ids);
    } catch (error) {
      log.warn("order status read failed", { orders: ids.length, err: error });
      // A stream still starts (as pending) while the database is away; the next repair catches up.
      if (absentToo) for (const id of ids) deliver(id, undefined);
      return;
    }
    const seen = new Set<string>();
    for (const change of found) {
      seen.add(change.id);
      deliver(change.id, change);
    }
    if (absentToo) for (const id of ids) if (!seen.has(id)) deliver(id, undefined);
  };

  const { unlisten } = await source.listen((payload) => {
    let changes: StatusChange[];
    try {
      changes = JSON.parse(payload);
    } catch (error) {
      return log.warn("unreadable status notification", { err: error });
    }
    for (const change of changes) deliver(change.id, change);
  });

  // A slow database must not pile repairs up: the next starts only once the last has finished.
  let repairing = false;
  const repair = setInterval(() => {
    if (repairing) return;
    repairing = true;
    void read([...listeners.keys()], false).finally(() => { repairing = false; });
  }, repairEveryMs);

  return {
    watch(orderId, listener) {
      let set = listeners.get(orderId);
      if (!set) listeners.set(orderId, (set = new Set()));
      set.add(listener);
      unread.add(orderId);
      firstRead ??= setTimeout(() => {
        firstRead = undefined;
        const ids = [...unread].filter((id) => listeners.has(id));
        unread.clear();
        void read(ids, true);
      }, FIRST_READ_WAIT_MS);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(orderId) === set) listeners.delete(orderId);
      };
    },
    get watched() {
      return listeners.size;
    },
    async close() {
      clearInterval(repair);
      clearTimeout(firstRead);
      await unlisten();
    },
  };
}
