import { bisect } from "../bisect.ts";
import type { Casualty, Middleware } from "../message.ts";
import { GaveUp } from "./retry.ts";

/**
 * A batch that fails for good is halved, and each half tried in turn, until the message at fault is
 * alone; that one is given up, every other message of the batch is processed. The halves keep the
 * batch's order, so each partition's messages are still handled in offset order. A bad message
 * costs its neighbours a few tries, never their processing.
 */
export const isolate = (): Middleware => (next) => async (messages) => {
  const given: Casualty[] = [];
  const gaveUp = (error: unknown) => error instanceof GaveUp;
  const alone = async (message: Casualty["message"], failures: unknown[]) => {
    const tries = failures as GaveUp[];
    given.push({ message, failure: tries.at(-1)!.failure, attempts: tries.reduce((sum, t) => sum + t.attempts, 0) });
  };
  if (messages.length > 0) await bisect(messages, async (part) => { given.push(...await next([...part])); }, gaveUp, alone);
  return given;
};
