import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { Env } from "./deps.ts";
import { rateLimited } from "./errors.ts";
import type { Limits } from "./limits/index.ts";

/** A comment line now and then: proxies keep the connection, and a closed socket is noticed. */
const HEARTBEAT_MS = 15_000;
/** EventSource reconnects by itself; a bounded stream keeps forgotten tabs from living forever. */
const MAX_STREAM_MS = 10 * 60_000;
/** Streams live for minutes: a refused client should not come straight back. */
const RETRY_AFTER_S = 10;

const REFUSED = {
  session: "too many open event streams for this session",
  address: "too many open event streams from this client",
  instance: "too many open event streams on this instance",
} as const;

type IdleTimeout = { timeout(request: Request, seconds: number): void };

/** What a stream's source writes to: events and the end, written in the order they were given. */
export type EventSink = {
  send(event: string, data: unknown): void;
  /** A line every client ignores, for a stream that has nothing to say yet. */
  comment(text: string): void;
  /** Ends the stream once everything sent before is written. */
  close(): void;
};

/**
 * One server-sent event stream, whatever it carries. It takes a slot of the client's (429 past the
 * caps: a socket held open for minutes costs the same whatever it carries), beats every 15 s, ends
 * after 10 minutes or when the client goes, and stops `watch` then. `watch` starts the source and
 * returns what stops it.
 */
export function eventStream(c: Context<Env>, limits: Limits, watch: (sink: EventSink) => () => void) {
  const slot = limits.streams.open(c.get("session"), c.get("client").address);
  if ("refused" in slot) throw rateLimited(REFUSED[slot.refused], RETRY_AFTER_S);
  // Bun closes connections idle for 10 s; a stream is idle between events by design.
  (c.env as IdleTimeout | undefined)?.timeout?.(c.req.raw, 0);
  c.header("Cache-Control", "no-cache");
  c.header("X-Accel-Buffering", "no");

  return streamSSE(c, async (stream) => {
    let done!: () => void;
    const finished = new Promise<void>((resolve) => { done = resolve; });
    let queue = Promise.resolve();
    const write = (chunk: () => Promise<unknown>) => {
      queue = queue.then(async () => { if (stream.aborted || stream.closed) done(); else await chunk(); }).catch(() => done());
    };

    const sink: EventSink = {
      send: (event, data) => write(() => stream.writeSSE({ event, data: JSON.stringify(data) })),
      comment: (text) => write(() => stream.write(`: ${text}\n\n`)),
      close: () => write(async () => done()),
    };
    const stop = watch(sink);
    stream.onAbort(() => done());
    const heartbeat = setInterval(() => sink.comment("heartbeat"), HEARTBEAT_MS);
    const lifetime = setTimeout(() => done(), MAX_STREAM_MS);

    try {
      await finished;
    } finally {
      clearInterval(heartbeat);
      clearTimeout(lifetime);
      stop();
      slot.release();
      await queue;
    }
  });
}
