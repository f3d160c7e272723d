import type { Kafka } from "kafkajs";
import type { Failure } from "../failure.ts";
import type { Logger } from "../log.ts";
import { runConsumer, type RunningConsumer } from "./consumer.ts";
import type { BatchHandler, Handler, Inbound } from "./message.ts";
import { coalesce } from "./middleware/coalesce.ts";
import { decode, type Decoder } from "./middleware/decode.ts";
import { isolate, type DeadLetterSink } from "./middleware/isolate.ts";
import { publish } from "./middleware/publish.ts";
import { retry } from "./middleware/retry.ts";
import { Progress } from "./progress.ts";
import type { Publisher } from "./publisher.ts";

/** One consumer: what it reads, how its bytes become values, what it does with them. */
export type Route<T> = {
  groupId: string;
  topic: string;
  decode: Decoder<T>;
  handler: Handler<T>;
  /** Where the messages it gives up on go: the dead-letter topic, or, for that topic's own consumer, the log. */
  deadLetter: DeadLetterSink;
};

export type RouterDeps = {
  kafka: Kafka;
  publisher: Publisher;
  signal: AbortSignal;
  log: Logger;
  /** Told of every run of a handler: `null` when it worked. */
  onAttempt?: (groupId: string, failure: Failure | null) => void;
};

/** How many times a message alone is tried when its failure is not known to be transient. */
const ATTEMPTS = 3;

/**
 * Every consumer's chain, the whole of it, outermost first. A batch succeeds in one pass through it:
 * one handler call (one database transaction) for every partition's messages of a fetch, then one
 * publish. Only a failure takes the longer way, and only for the batch it hit.
 */
export function chain<T>(route: Route<T>, { publisher, signal, log, onAttempt }: Omit<RouterDeps, "kafka">, progress: Progress): BatchHandler<Inbound> {
  const { deadLetter } = route;
  // 5. The handler runs; the events it returns are published with their cause's correlation id,
  //    the messages it judges unprocessable are dead-lettered.
  const handled = publish(route.handler, { publisher, deadLetter, log });
  // 4. A failure known to be transient is waited out, for as long as it lasts; any other is tried
  //    ATTEMPTS times once the message is alone.
  const retried = retry(handled, {
    signal, log, attempts: ATTEMPTS,
    onAttempt: (failure) => {
      if (failure) progress.failed(failure);
      onAttempt?.(route.groupId, failure);
    },
  });
  // 3. A batch that fails for good is halved until the message at fault is alone; it is dead-lettered.
  const isolated = isolate(retried, deadLetter);
  // 2. A message that does not decode is dead-lettered at once.
  const decoded = decode(isolated, route.decode, deadLetter);
  // 1. The batches kafkajs hands over for each partition at the same time go through as one.
  return coalesce(decoded);
}

export type Consumer = RunningConsumer & { progress: Progress };

/** Runs a route: the chain above between kafkajs and the offsets it commits. */
export async function startConsumer<T>(route: Route<T>, deps: RouterDeps): Promise<Consumer> {
  const log = deps.log.child({ group: route.groupId });
  const progress = new Progress(route.groupId, route.topic);
  const running = await runConsumer({
    kafka: deps.kafka, groupId: route.groupId, topic: route.topic, log, progress,
    handler: chain(route, { ...deps, log }, progress),
  });
  return { ...running, progress };
}
