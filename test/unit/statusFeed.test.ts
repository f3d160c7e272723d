import { describe, expect, test } from "bun:test";
import type { StatusEvent } from "../../src/orders/schemas.ts";
import { listenForStatusChanges, type StatusSource } from "../../src/db/statusFeed.ts";
import { createLogger } from "../../src/log.ts";

const log = createLogger("error", {}, () => {});
const at = "2026-01-01T00:00:00.000Z";

/** The database, as the feed sees it: a table of statuses, every read recorded, and a NOTIFY to send by hand. */
function database(rows: StatusEvent[] = []) {
  const table = new Map(rows.map((r) => [r.id, r]));
  const reads: string[][] = [];
  let notify: (payload: string) => void = () => {};
  const source: StatusSource = {
    async listen(onPayload) {
      notify = onPayload;
      return { unlisten: async () => {} };
    },
    async read(ids) {
      reads.push([...ids].sort());
      return ids.flatMap((id) => (table.has(id) ? [table.get(id)!] : []));
    },
  };
  return { source, table, reads, notify: (changes: StatusEvent[]) => notify(JSON.stringify(changes)) };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await Bun.sleep(5);
  expect(condition()).toBe(true);
};

describe("the status feed", () => {
  test("a hundred new watchers share one first read; an id not stored is told so", async () => {
    const ids = Array.from({ length: 100 }, () => crypto.randomUUID());
    const db = database(ids.slice(0, 50).map((id) => ({ id, status: "placed", at })));
    const feed = await listenForStatusChanges(db.source, log, 60_000);
    const heard = new Map<string, (StatusEvent | undefined)[]>();
    for (const id of ids) feed.watch(id, (change) => heard.set(id, [...(heard.get(id) ?? []), change]));
    await until(() => heard.size === 100);
    expect(db.reads).toEqual([[...ids].sort()]);
    expect(heard.get(ids[0]!)).toEqual([{ id: ids[0]!, status: "placed", at }]);
    expect(heard.get(ids[99]!)).toEqual([undefined]);
    await feed.close();
  });

  test("notifications reach every watcher of the order, and no one after it stopped watching", async () => {
    const id = crypto.randomUUID();
    const db = database();
    const feed = await listenForStatusChanges(db.source, log, 60_000);
    const a: (StatusEvent | undefined)[] = [];
    const b: (StatusEvent | undefined)[] = [];
    feed.watch(id, (c) => a.push(c));
    const stopB = feed.watch(id, (c) => b.push(c));
    await until(() => a.length === 1 && b.length === 1);
    const placed: StatusEvent = { id, status: "placed", at };
    db.notify([placed, { id: crypto.randomUUID(), status: "placed", at }]);
    stopB();
    db.notify([{ id, status: "confirmed", at }]);
    expect(a).toEqual([undefined, placed, { id, status: "confirmed", at }]);
    expect(b).toEqual([undefined, placed]);
    expect(feed.watched).toBe(1);
    await feed.close();
  });

  test("a missed notification is repaired by one read of every watched order per interval", async () => {
    const ids = Array.from({ length: 20 }, () => crypto.randomUUID());
    const db = database(ids.map((id) => ({ id, status: "placed", at })));
    const feed = await listenForStatusChanges(db.source, log, 30);
    const latest = new Map<string, string | undefined>();
    for (const id of ids) feed.watch(id, (c) => latest.set(id, c?.status));
    await until(() => latest.size === 20);
    // Confirmed in the database, but the NOTIFY was lost.
    db.table.set(ids[7]!, { id: ids[7]!, status: "confirmed", at });
    const readsBefore = db.reads.length;
    await until(() => latest.get(ids[7]!) === "confirmed");
    const repairs = db.reads.slice(readsBefore);
    expect(repairs.length).toBeGreaterThanOrEqual(1);
    for (const read of repairs) expect(read).toEqual([...ids].sort());
    await feed.close();
  });
});
