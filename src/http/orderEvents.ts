import type { Handler } from "hono";
import type { StatusEvent } from "../orders/schemas.ts";
import { isAdvance, isTerminal } from "../orders/status.ts";
import type { ApiDeps, Env } from "./deps.ts";
import { eventStream } from "./eventStream.ts";

/**
 * Server-sent events for one order: the current status at once, then each change, then close on a
 * terminal status. Every stream watches the instance's one status feed, so a stream costs no query
 * of its own. Only forward moves are sent, so a late or repeated notification can never make the
 * status appear to go backwards.
 */
export function orderEvents({ statusFeed, limits }: ApiDeps): Handler<Env, "/:id/events", { out: { param: { id: string } } }> {
  return (c) => {
    const { id } = c.req.valid("param");
    return eventStream(c, limits, (sink) => {
      let last: StatusEvent | undefined;
      let persisted = false;
      const send = (change: StatusEvent) => {
        if (last && !isAdvance(last.status, change.status)) return;
        last = change;
        sink.send("status", change);
        if (isTerminal(change.status)) sink.close();
      };
      const unwatch = statusFeed.watch(id, (change) => {
        if (change) {
          persisted = true;
          send(change);
        } else if (!last) {
          // Not in the database yet: accepted orders are pending until the consumer stores them.
          send({ id, status: "pending", at: new Date().toISOString() });
        }
      });
      const unknown = setTimeout(() => { if (!persisted) sink.close(); }, limits.unknownOrderStreamMs);
      return () => {
        clearTimeout(unknown);
        unwatch();
      };
    });
  };
}
