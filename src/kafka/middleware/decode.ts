import type { Failure } from "../../failure.ts";
import type { BatchHandler, Inbound, Item } from "../message.ts";
import type { DeadLetterSink } from "./isolate.ts";

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };
export type Decoder<T> = (message: Inbound) => Decoded<T>;

/** A message that does not decode can never be processed: it is dead-lettered at once, untried. */
export function decode<T>(handler: BatchHandler<Item<T>>, decoder: Decoder<T>, deadLetter: DeadLetterSink): BatchHandler<Inbound> {
  return async (messages) => {
    const items: Item<T>[] = [];
    const undecodable: { message: Inbound; failure: Failure; attempts: number }[] = [];
    for (const message of messages) {
      const decoded = decoder(message);
      if (decoded.ok) items.push({ message, value: decoded.value });
      else undecodable.push({ message, failure: { class: "undecodable", transient: false, message: decoded.reason }, attempts: 0 });
    }
    if (undecodable.length > 0) await deadLetter(undecodable);
    await handler(items);
  };
}
