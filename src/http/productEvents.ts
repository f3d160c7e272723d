import type { Handler } from "hono";
import * as v from "valibot";
import { ProductIds } from "../catalog/search.ts";
import type { StockEvent } from "../catalog/schemas.ts";
import type { ApiDeps, Env } from "./deps.ts";
import { eventStream } from "./eventStream.ts";
import { parseOrThrow } from "./validation.ts";

/** GET /api/products/events. */
export const StockStreamQuery = v.object({
  ids: v.optional(v.pipe(ProductIds, v.description(
    "Only these products (at most 100, comma-separated): the ones a page shows. The stream then opens with where each stands now",
  ))),
});

/**
 * Server-sent events: `event: stock` with `{ id, stock, archived }` on every stock or availability
 * change, from PostgreSQL's NOTIFY, so every instance's open storefronts hear changes whichever
 * instance made them. With `ids`, only those products' changes, so that a catalog of 100,000
 * products does not send every change to every browser; a page follows the products it shows and
 * asks again as they change, so the stream first says where each stands, and nothing between two
 * streams is missed.
 */
export const productEvents = ({ stockFeed, catalog, limits }: ApiDeps): Handler<Env> => (c) => {
  const { ids } = parseOrThrow(StockStreamQuery, c.req.query(), "query");
  return eventStream(c, limits, (sink) => {
    const send = (change: StockEvent) => sink.send("stock", { id: change.id, stock: change.stock, archived: change.archived });
    if (!ids) {
      const unsubscribe = stockFeed.onStock(send);
      // Says the stream is open, so a client knows from when on it misses nothing.
      sink.comment("open");
      return unsubscribe;
    }
    const followed = new Set(ids);
    // Changes heard while the snapshot is read wait behind it: each of them is newer than what
    // was committed before the stream subscribed, so sent after the snapshot they end at the truth.
    let waiting: StockEvent[] | undefined = [];
    const unsubscribe = stockFeed.onStock((change) => {
      if (!followed.has(change.id)) return;
      if (waiting) waiting.push(change);
      else send(change);
    });
    catalog.stock(ids).then(
      (now) => {
        now.forEach(send);
        waiting?.forEach(send);
        waiting = undefined;
        sink.comment("open");
      },
      // Without where the products stand, the stream would say less than it promises: end it, and
      // EventSource comes back.
      () => sink.close(),
    );
    return unsubscribe;
  });
};
