import type { Logger } from "../../log.ts";
import { correlationOf, type BatchHandler, type Handler, type Item } from "../message.ts";
import type { Outbound, Publisher } from "../publisher.ts";
import type { Casualty, DeadLetterSink } from "./isolate.ts";

/**
 * Runs the handler and carries out what it returns: every event is published with the correlation
 * id of the message that caused it, and every message the handler judged unprocessable is
 * dead-lettered. The batch is done once Kafka has acknowledged all of it.
 */
export function publish<T>(handler: Handler<T>, { publisher, deadLetter, log }: { publisher: Publisher; deadLetter: DeadLetterSink; log: Logger }): BatchHandler<Item<T>> {
  return async (items) => {
    const events: Outbound[] = [];
    const unprocessable: Casualty[] = [];
    for (const produced of await handler(items)) {
      if ("event" in produced) {
        events.push({ ...produced.event, headers: { ...produced.event.headers, "correlation-id": correlationOf(produced.cause) } });
      } else {
        log.warn("message unprocessable", { offset: produced.cause.offset, partition: produced.cause.partition, reason: produced.unprocessable, correlationId: correlationOf(produced.cause) });
        unprocessable.push({ message: produced.cause, failure: { class: "unprocessable", transient: false, message: produced.unprocessable }, attempts: 1 });
      }
    }
    await publisher.publish(events);
    if (unprocessable.length > 0) await deadLetter(unprocessable);
  };
}
