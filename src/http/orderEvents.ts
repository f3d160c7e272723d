import type { Handler } from "hono";
import { streamSSE, type SSEStreamingApi } from "hono/streaming";
import * as v from "valibot";
import { OrderIdParam, type StatusEvent } from "../orders/schemas.ts";
import { isAdvance, isTerminal } from "../orders/status.ts";
import type { ApiDeps, Env } from "./deps.ts";
import { notFound } from "./errors.ts";
import { streamSlot } from "./streamSlot.ts";

/** A comment line now and then: proxies keep the connection, and a closed socket is noticed. */
const HEARTBEAT_MS = 15_000;
/** EventSource reconnects by itself; a bounded stream keeps forgotten tabs from living forever. */
const MAX_STREAM_MS = 10 * 60_000;

type IdleTimeout = { timeout(request: Request, seconds: number): void };

/**
 * Server-sent events for one order: the current status at once, then each change, then close on a
 * terminal status. Every stream watches the instance's one status feed, so a stream costs no query
 * of its own. Only forward moves are sent, so a late or repeated notification can never make the
 * status appear to go backwards.
 */
export function orderEvents({ statusFeed, limits }: ApiDeps): Handler<Env> {
  return async (c) => {
    const id = c.req.param("id") ?? "";
    if (!v.is(OrderIdParam, id)) throw notFound("order");
    const slot = streamSlot(c, limits);
    // Bun closes connections idle for 10 s; this stream is idle between changes by design.
    (c.env as IdleTimeout | undefined)?.timeout?.(c.req.raw, 0);
    c.header("Cache-Control", "no-cache");
    c.header("X-Accel-Buffering", "no");

    return streamSSE(c, async (stream: SSEStreamingApi) => {
      let last: StatusEvent | undefined;
      let persisted = false;
      let done!: () => void;
      const finished = new Promise<void>((resolve) => { done = resolve; });
      let queue = Promise.resolve();

      const send = (change: StatusEvent) => {
        queue = queue.then(async () => {
          if (stream.aborted || stream.closed) return done();
          if (last && !isAdvance(last.status, change.status)) return;
          last = change;
          await stream.writeSSE({ event: "status", data: JSON.stringify(change) });
          if (isTerminal(change.status)) done();
        }).catch(() => done());
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
      stream.onAbort(() => done());
      const heartbeat = setInterval(() => {
        queue = queue.then(() => stream.write(": heartbeat\n\n")).then(() => {}, () => done());
      }, HEARTBEAT_MS);
      const lifetime = setTimeout(() => done(), MAX_STREAM_MS);
      const unknown = setTimeout(() => { if (!persisted) done(); }, limits.unknownOrderStreamMs);

      try {
        await finished;
      } finally {
        clearInterval(heartbeat);
        clearTimeout(lifetime);
        clearTimeout(unknown);
        unwatch();
        slot.release();
        await queue;
      }
    });
  };
}
