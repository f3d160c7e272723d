import type { Handler } from "hono";
import type { ApiDeps, Env } from "./deps.ts";
import { eventStream } from "./eventStream.ts";

/**
 * Server-sent events for the whole catalog: `event: stock` with `{ id, stock, archived }` on every
 * stock or availability change, from PostgreSQL's NOTIFY, so every instance's open storefronts
 * hear changes whichever instance made them.
 */
export const productEvents = ({ stockFeed, limits }: ApiDeps): Handler<Env> => (c) =>
  eventStream(c, limits, (sink) => {
    const unsubscribe = stockFeed.onStock(({ id, stock, archived }) => sink.send("stock", { id, stock, archived }));
    // Says the stream is open, so a client knows from when on it misses nothing.
    sink.comment("open");
    return unsubscribe;
  });
