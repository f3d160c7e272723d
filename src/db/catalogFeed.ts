import type { StockEvent } from "../catalog/schemas.ts";
import type { Logger } from "../log.ts";
import { notifyAll, type Sql, type Tx } from "./client.ts";

export const CATALOG_CHANNEL = "catalog";

/** A catalog command applied or refused, as much as an API instance waiting on it needs to answer. */
export type CommandNotice =
  | { commandId: string; productId: string; status: "changed" }
  | { commandId: string; productId: string; status: "applied"; delta: number; stock: number }
  | { commandId: string; productId: string; status: "rejected"; reason: string; stock?: number }
  | { commandId: string; categoryId: string; status: "changed" }
  | { commandId: string; categoryId: string; status: "rejected"; reason: string };

type Notice = { stock: StockEvent[]; commands: CommandNotice[] };

/** A NOTIFY payload must stay under 8000 bytes; ids are at most 100 characters, so 30 entries fit. */
const PER_NOTIFY = 30;

/** Tells every API instance, when and only if the transaction commits, what changed. */
export async function notifyCatalog(tx: Tx, { stock, commands }: Notice): Promise<void> {
  const notices: string[] = [];
  for (let i = 0; i < Math.max(stock.length, commands.length); i += PER_NOTIFY) {
    notices.push(JSON.stringify({ stock: stock.slice(i, i + PER_NOTIFY), commands: commands.slice(i, i + PER_NOTIFY) } satisfies Notice));
  }
  await notifyAll(tx, CATALOG_CHANNEL, notices);
}

export const notifyStock = (tx: Tx, stock: StockEvent[]) => notifyCatalog(tx, { stock, commands: [] });

export type CatalogFeed = {
  /** Every stock or availability change, whichever instance made it. */
  onStock(listener: (change: StockEvent) => void): () => void;
  /** Resolves with the command's outcome once it is committed, or undefined after `ms`. */
  waitFor(commandId: string, ms: number): { outcome: Promise<CommandNotice | undefined>; cancel(): void };
  close(): Promise<void>;
};

/** Fans PostgreSQL notifications about the catalog out to event streams and to requests waiting on a command. */
export async function listenForCatalogChanges(sql: Sql, log: Logger): Promise<CatalogFeed> {
  const stockListeners = new Set<(change: StockEvent) => void>();
  const waiters = new Map<string, (notice: CommandNotice) => void>();
  const { unlisten } = await sql.listen(CATALOG_CHANNEL, (payload) => {
    let notice: Notice;
    try {
      notice = JSON.parse(payload);
    } catch (error) {
      return log.warn("unreadable catalog notification", { err: error });
    }
    for (const change of notice.stock) for (const listener of stockListeners) listener(change);
    for (const command of notice.commands) waiters.get(command.commandId)?.(command);
  });
  return {
    onStock(listener) {
      stockListeners.add(listener);
      return () => { stockListeners.delete(listener); };
    },
    waitFor(commandId, ms) {
      let timer: Timer | undefined;
      let settle!: (notice: CommandNotice | undefined) => void;
      const outcome = new Promise<CommandNotice | undefined>((resolve) => { settle = resolve; });
      const finish = (notice: CommandNotice | undefined) => {
        clearTimeout(timer);
        waiters.delete(commandId);
        settle(notice);
      };
      waiters.set(commandId, finish);
      timer = setTimeout(() => finish(undefined), ms);
      return { outcome, cancel: () => finish(undefined) };
    },
    close: unlisten,
  };
}
