import type { Logger } from "../../log.ts";
import type { BatchHandler } from "../message.ts";

export type RetryOptions = {
  isPermanent: (error: unknown) => boolean;
  signal: AbortSignal;
  log: Logger;
  initialDelayMs?: number;
  maxDelayMs?: number;
};

export class Aborted extends Error {
  constructor() { super("consumer is stopping"); }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new Aborted());
    const timer = setTimeout(() => { signal.removeEventListener("abort", onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(timer); reject(new Aborted()); };
    signal.addEventListener("abort", onAbort, { once: true });
  });

/**
 * Retries a failing batch with exponential backoff and jitter until it succeeds, so a transient
 * failure (the database restarting) never skips a message. Permanent failures pass straight
 * through to the dead-letter middleware; stopping the consumer ends the wait without committing.
 */
export function retry<T>(handler: BatchHandler<T>, { isPermanent, signal, log, initialDelayMs = 100, maxDelayMs = 5_000 }: RetryOptions): BatchHandler<T> {
  return async (items) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await handler(items);
      } catch (error) {
        if (isPermanent(error) || signal.aborted) throw error;
        const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
        log.warn("batch failed, retrying", { attempt, delayMs: Math.round(delay), err: error, messages: items.length });
        await sleep(delay, signal);
      }
    }
  };
}
