import type { Failure } from "../../failure.ts";
import { bisect } from "../bisect.ts";
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
  const gaveUp = (error: unknown) => error instanceof GaveUp;
  const alone = (item: Item<T>, failures: unknown[]) => {
    const tries = failures as GaveUp[];
    return deadLetter([{ message: item.message, failure: tries.at(-1)!.failure, attempts: tries.reduce((sum, t) => sum + t.attempts, 0) }]);
  };
  return (items) => (items.length === 0 ? Promise.resolve() : bisect(items, (part) => handler([...part]), gaveUp, alone));
}
