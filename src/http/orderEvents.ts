import type { Handler } from "hono";
import { streamSSE, type SSEStreamingApi } from "hono/streaming";
import * as v from "valibot";
import type { StatusChange } from "../db/orders.ts";
import { OrderIdParam } from "../orders/schemas.ts";
import { isAdvance, isTerminal } from "../orders/status.ts";
import type { ApiDeps, Env } from "./deps.ts";
import { notFound } from "./errors.ts";

/** Also re-reads the status, in case a notification was lost while the listener reconnected. */
const HEARTBEAT_MS = 5_000;
/** EventSource reconnects by itself; a bounded stream keeps forgotten tabs from living forever. */
const MAX_STREAM_MS = 10 * 60_000;

type IdleTimeout = { timeout(request: Request, seconds: number): void };

/**
 * Server-sent events for one order: the current status at once, then each change, then close on a
 * terminal status. Changes arrive from PostgreSQL's NOTIFY; only forward moves are sent, so a late
 * or repeated notification can never make the status appear to go backwards.
 */
export function orderEvents({ orders, statusFeed, log }: ApiDeps): Handler<Env> {
  return async (c) => {
    const id = c.req.param("id") ?? "";
    if (!v.is(OrderIdParam, id)) throw notFound("order");
    // Bun closes connections idle for 10 s; this stream is idle between changes by design.
    (c.env as IdleTimeout | undefined)?.timeout?.(c.req.raw, 0);
    c.header("Cache-Control", "no-cache");
    c.header("X-Accel-Buffering", "no");

    return streamSSE(c, async (stream: SSEStreamingApi) => {
      let last: StatusChange | undefined;
      let done!: () => void;
      const finished = new Promise<void>((resolve) => { done = resolve; });
      let queue = Promise.resolve();

      const send = (change: StatusChange) => {
        queue = queue.then(async () => {
          if (stream.aborted || stream.closed) return done();
          if (last && !isAdvance(last.status, change.status)) return;
          last = change;
          await stream.writeSSE({ event: "status", data: JSON.stringify(change) });
          if (isTerminal(change.status)) done();
        }).catch(() => done());
      };

      const unsubscribe = statusFeed.subscribe(id, send);
      stream.onAbort(() => done());
      const refresh = async () => {
        try {
          const current = await orders.status(id);
          send(current ?? last ?? { id, status: "pending", at: new Date().toISOString() });
        } catch (error) {
          log.warn("order status read failed", { orderId: id, err: error });
          if (!last) send({ id, status: "pending", at: new Date().toISOString() });
        }
      };
      const heartbeat = setInterval(() => {
        queue = queue.then(() => stream.write(": heartbeat\n\n")).then(() => {}, () => done());
        void refresh();
      }, HEARTBEAT_MS);
      const lifetime = setTimeout(() => done(), MAX_STREAM_MS);

      await refresh();
      await finished;
      clearInterval(heartbeat);
      clearTimeout(lifetime);
      unsubscribe();
      await queue;
    });
  };
}
