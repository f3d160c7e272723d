import type { Handler } from "hono";
import { streamSSE, type SSEStreamingApi } from "hono/streaming";
import type { StockEvent } from "../catalog/schemas.ts";
import type { ApiDeps, Env } from "./deps.ts";
import { streamSlot } from "./streamSlot.ts";

/** Keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;
/** EventSource reconnects by itself; a bounded stream keeps forgotten tabs from living forever. */
const MAX_STREAM_MS = 10 * 60_000;

type IdleTimeout = { timeout(request: Request, seconds: number): void };

/**
 * Server-sent events for the whole catalog: `event: stock` with `{ id, stock, archived }` on every
 * stock or availability change, from PostgreSQL's NOTIFY, so every instance's open storefronts
 * hear changes whichever instance made them.
 */
export function productEvents({ stockFeed, limits }: ApiDeps): Handler<Env> {
  return async (c) => {
    const slot = streamSlot(c, limits);
    // Bun closes connections idle for 10 s; this stream is idle between changes by design.
    (c.env as IdleTimeout | undefined)?.timeout?.(c.req.raw, 0);
    c.header("Cache-Control", "no-cache");
    c.header("X-Accel-Buffering", "no");

    return streamSSE(c, async (stream: SSEStreamingApi) => {
      let done!: () => void;
      const finished = new Promise<void>((resolve) => { done = resolve; });
      let queue = Promise.resolve();
      const write = (chunk: () => Promise<void>) => {
        queue = queue.then(() => (stream.aborted || stream.closed ? done() : chunk())).catch(() => done());
      };

      const unsubscribe = stockFeed.onStock((change: StockEvent) =>
        write(() => stream.writeSSE({ event: "stock", data: JSON.stringify({ id: change.id, stock: change.stock, archived: change.archived }) })));
      stream.onAbort(() => done());
      const heartbeat = setInterval(() => write(() => stream.write(": heartbeat\n\n").then(() => {})), HEARTBEAT_MS);
      const lifetime = setTimeout(() => done(), MAX_STREAM_MS);
      // Says the stream is open, so a client knows from when on it misses nothing.
      write(() => stream.write(": open\n\n").then(() => {}));

      try {
        await finished;
      } finally {
        clearInterval(heartbeat);
        clearTimeout(lifetime);
        unsubscribe();
        slot.release();
        await queue;
      }
    });
  };
}
