import type { Handler } from "hono";
import { SpanKind } from "@opentelemetry/api";
import type { StatusChange } from "../db/orders.ts";
import type { StatusEvent } from "../orders/schemas.ts";
import { isAdvance, isTerminal } from "../orders/status.ts";
import type { ApiDeps, Env } from "./deps.ts";
import { eventStream } from "./eventStream.ts";
import { tracingOn } from "../tracing/setup.ts";
import { contextOf, ORDER_ID, tracer, unsampled } from "../tracing/spans.ts";

/** A change sent down a browser's stream, as a span of the order's trace, under the message that made it. */
function delivered(traceparent: string, change: StatusEvent) {
  const parent = contextOf({ traceparent });
  if (unsampled(parent)) return;
  tracer().startSpan("deliver order status", {
    kind: SpanKind.PRODUCER, attributes: { [ORDER_ID]: change.id, "shop.order.status": change.status },
  }, parent).end();
}

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
      const send = ({ traceparent, ...change }: StatusChange) => {
        if (last && !isAdvance(last.status, change.status)) return;
        last = change;
        if (traceparent !== undefined && tracingOn()) delivered(traceparent, change);
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
