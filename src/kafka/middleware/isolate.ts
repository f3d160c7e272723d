import type { Failure } from "../../failure.ts";
import type { BatchHandler, Inbound, Item } from "../message.ts";
import { GaveUp } from "./retry.ts";

/** A message the chain gives up on, why, and how many times the handler was run with it. */
export type Casualty = { message: Inbound; failure: Failure; attempts: number };

export type DeadLetterSink = (casualties: Casualty[]) => Promise<void>;

/**
 * A batch that fails for good is halved, and each half tried in turn, until the message at fault is
 * alone; that one goes to `deadLetter`, every other message of the batch is processed. The halves
 * keep the batch's order, so each partition's messages are still handled in offset order. A bad
 * message costs its neighbours a few tries, never their processing.
 */
export function isolate<T>(handler: BatchHandler<Item<T>>, deadLetter: DeadLetterSink): BatchHandler<Item<T>> {
  const attempt = async (items: Item<T>[], triedBefore: number): Promise<void> => {
    try {
      await handler(items);
    } catch (error) {
      if (!(error instanceof GaveUp)) throw error;
      if (items.length === 1) return deadLetter([{ message: items[0]!.message, failure: error.failure, attempts: triedBefore + error.attempts }]);
      const half = Math.ceil(items.length / 2);
      await attempt(items.slice(0, half), triedBefore + error.attempts);
      await attempt(items.slice(half), triedBefore + error.attempts);
    }
  };
  return (items) => (items.length === 0 ? Promise.resolve() : attempt(items, 0));
}
