import type { CatalogEnvelope } from "../catalog/events.ts";
import type { Category } from "../catalog/categories.ts";
import { catalogKey, type StockMovement } from "../catalog/schemas.ts";
import type { Sql } from "../db/client.ts";
import { listMovements } from "../db/catalog.ts";
import { getCategory, slugTaken } from "../db/categories.ts";
import type { CatalogFeed, CommandNotice } from "../db/catalogFeed.ts";
import { getProduct, listAllProducts, skuTaken } from "../db/products.ts";
import { jsonMessage } from "../kafka/message.ts";
import type { Publisher } from "../kafka/publisher.ts";
import type { Logger } from "../log.ts";
import type { Product } from "../catalog/schemas.ts";
import { within } from "../waiting.ts";

/** How long a request waits for its command to be applied before answering 202 with the command's id. */
const APPLY_WAIT_MS = 5_000;

export type CommandResult =
  | { outcome: "applied"; notice: CommandNotice }
  | { outcome: "pending" }
  | { outcome: "unacknowledged" };

export type CatalogAdmin = {
  /** Every product, or only those whose `archived` is the one given. */
  list(archived?: boolean): Promise<Product[]>;
  get(id: string): Promise<Product | undefined>;
  skuTaken(sku: string): Promise<boolean>;
  category(id: string): Promise<Category | undefined>;
  slugTaken(slug: string): Promise<boolean>;
  movements(productId: string, limit: number): Promise<StockMovement[]>;
  /**
   * Publishes a catalog command and waits, up to 5 s in all, for a worker to apply it: its
   * outcome once committed, `pending` when it is in Kafka but not applied yet.
   */
  send(command: CatalogEnvelope, correlationId: string): Promise<CommandResult>;
};

/** The operations page's catalog: reads from PostgreSQL, changes as commands on catalog.commands. */
export function catalogAdmin({ sql, publisher, topic, feed, log }: {
  sql: Sql; publisher: Publisher; /** catalog.commands, with the namespace's prefix */ topic: string; feed: CatalogFeed; log: Logger;
}): CatalogAdmin {
  return {
    list: (archived) => listAllProducts(sql, archived),
    get: (id) => getProduct(sql, id),
    skuTaken: (sku) => skuTaken(sql, sku),
    category: (id) => getCategory(sql, id),
    slugTaken: (slug) => slugTaken(sql, slug),
    movements: (productId, limit) => listMovements(sql, productId, limit),
    async send(command, correlationId) {
      // Waiting starts before publishing: a fast worker's notification must not come before we listen.
      const waiting = feed.waitFor(command.id, APPLY_WAIT_MS);
      const deadline = Date.now() + APPLY_WAIT_MS;
      try {
        await within(APPLY_WAIT_MS, publisher.publish([jsonMessage(topic, catalogKey(command), command, { "correlation-id": correlationId })], deadline));
      } catch (error) {
        waiting.cancel();
        log.warn("catalog command not acknowledged by Kafka", { commandId: command.id, key: catalogKey(command), err: error });
        return { outcome: "unacknowledged" };
      }
      const notice = await waiting.outcome;
      return notice ? { outcome: "applied", notice } : { outcome: "pending" };
    },
  };
}
