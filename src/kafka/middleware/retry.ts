import { classify, type Failure } from "../../failure.ts";
import type { Logger } from "../../log.ts";
import { Aborted, backoff, jittered, sleep } from "../../waiting.ts";
import type { Middleware } from "../message.ts";

export type RetryOptions = {
  signal: AbortSignal;
  log: Logger;
  /** How many times a message alone is tried when its failure is not known to be transient. */
  attempts?: number;
  /** Told of every try: `null` when it worked. */
  onAttempt?: (failure: Failure | null) => void;
  initialDelayMs?: number;
  maxDelayMs?: number;
};

/** The last failure of a batch that retrying will not fix, and how many tries it took. */
export class GaveUp extends Error {
  constructor(readonly failure: Failure, readonly attempts: number) { super(failure.message); }
}

/**
 * A transient failure (see failure.ts) is retried with exponential backoff and jitter for as long as
 * it lasts, so a database restart never skips a message. Any other failure of a batch gives up at
 * once, for `isolate` to halve it; a message alone gets `attempts` tries. Stopping the consumer ends
 * the wait without committing.
 */
export function retry<T>({ signal, log, attempts = 3, onAttempt, initialDelayMs = 100, maxDelayMs = 5_000 }: RetryOptions): Middleware<T> {
  return (next) => async (items) => {
    let permanent = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        const given = await next(items);
        onAttempt?.(null);
        return given;
      } catch (error) {
        if (error instanceof Aborted) throw error;
        const failure = classify(error);
        onAttempt?.(failure);
        if (!failure.transient && (items.length > 1 || ++permanent >= attempts)) throw new GaveUp(failure, attempt);
        if (signal.aborted) throw new Aborted();
        const delay = jittered(backoff(attempt, initialDelayMs, maxDelayMs));
        log.warn("batch failed, retrying", { attempt, delayMs: Math.round(delay), errorClass: failure.class, err: error, messages: items.length });
        await sleep(delay, signal);
      }
    }
  };
}
