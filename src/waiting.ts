import type { Logger } from "./log.ts";

/** Waiting was cut short: the process is stopping. */
export class Aborted extends Error {
  constructor() { super("stopping"); }
}

/** Resolves after `ms`, or rejects with Aborted as soon as `signal` is. */
export const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new Aborted());
    const timer = setTimeout(() => { signal.removeEventListener("abort", onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(timer); reject(new Aborted()); };
    signal.addEventListener("abort", onAbort, { once: true });
  });

/** The wait after the `attempt`th failure (counting from 1): `firstMs`, doubled each time up to `maxMs`. */
export const backoff = (attempt: number, firstMs: number, maxMs = 5_000) => Math.min(maxMs, firstMs * 2 ** (attempt - 1));

/** Between half and all of `ms`, so that many waiters that failed together do not retry together. */
export const jittered = (ms: number) => ms * (0.5 + Math.random() / 2);

/** Rejects when `promise` has not settled within `ms`; `promise` itself goes on. */
export function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: Timer | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Tries a start-up step until it works or `deadlineMs` passes: the services may still be starting. */
export async function patiently<T>(what: string, log: Logger, step: () => Promise<T>, deadlineMs = 60_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      const delay = backoff(attempt, 250);
      if (Date.now() + delay > until) throw new Error(`${what}: ${(error as Error).message}`);
      log.warn(`${what} failed, retrying`, { err: error, delayMs: delay });
      await Bun.sleep(delay);
    }
  }
}
