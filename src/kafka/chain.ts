import type { Kafka } from "kafkajs";
import type { Failure } from "../failure.ts";
import type { Logger } from "../log.ts";
import { runConsumer, type RunningConsumer } from "./consumer.ts";
import type { Decoder } from "./decode.ts";
import { tracingOn } from "../tracing/setup.ts";
import { BatchSpans } from "./batchSpans.ts";
import { correlationOf, jsonMessage, type Casualty, type Handler, type Inbound, type Item, type Middleware, type Step } from "./message.ts";
import { coalesce } from "./middleware/coalesce.ts";
import { deadLetter, type DeadLetterSink } from "./middleware/deadLetter.ts";
import { isolate } from "./middleware/isolate.ts";
import { retry } from "./middleware/retry.ts";
import { Progress } from "./progress.ts";
import type { Outbound, Publisher } from "./publisher.ts";

/** One consumer, declared: what it reads, how its bytes become values, what it does with them, where the results go. */
export type Route<T, Tx> = {
  /** Its consumer group, which also names it in logs, metrics and /readyz. */
  name: string;
  /** What it reads; a consumer of several topics handles their messages alike. */
  topics: readonly string[];
  /** Where its group starts when it never committed: the start of its topics unless false (their end). */
  fromBeginning?: boolean;
  decode: Decoder<T>;
  handle: Handler<T, Tx>;
  /** The topic of each type of event it returns: an event of any other type is a failure of the handler. */
  publishes: Readonly<Record<string, string>>;
  /** Where the messages it gives up on go: the dead-letter topic, or, for that topic's own consumer, the log. */
  deadLetters: DeadLetterSink;
  /** The order a message is of, for the consumer that reads an order's messages: its spans name it. */
  orderOf?: (value: T) => string;
};

/** Runs `work` in one database transaction, committed when it returns and rolled back when it throws. */
export type Transaction<Tx> = <R>(work: (tx: Tx) => Promise<R>) => Promise<R>;

export type ChainDeps<Tx> = {
  publisher: Publisher;
  transaction: Transaction<Tx>;
  signal: AbortSignal;
  log: Logger;
  /** Told of every run of a handler: `null` when it worked. */
  onAttempt?: (name: string, failure: Failure | null) => void;
  /** The database the transactions run in, as their spans name it. */
  database?: string;
};

/** How many times a message alone is tried when its failure is not known to be transient. */
const ATTEMPTS = 3;

/**
 * The end of the chain: the batch decoded, the handler run in one transaction, and once that has
 * committed, its events published with their cause's correlation id. A batch is done once Kafka has
 * acknowledged all of it; what does not decode and what the handler judges unprocessable is given
 * up, for the dead-letter step. With tracing on, the batch and each message get their spans (BatchSpans).
 */
function handled<T, Tx>(route: Route<T, Tx>, deps: ChainDeps<Tx>): Step {
  return async (messages) => {
    const spans = tracingOn() ? new BatchSpans(route.name, messages) : undefined;
    try {
      const given = await handle(route, messages, deps, spans);
      spans?.end();
      return given;
    } catch (error) {
      spans?.end(error);
      throw error;
    }
  };
}

async function handle<T, Tx>(route: Route<T, Tx>, messages: Inbound[], { publisher, transaction, log, database }: ChainDeps<Tx>, spans: BatchSpans | undefined) {
  const items: Item<T>[] = [];
  const given: Casualty[] = [];
  const orders = new Map<Inbound, string>();
  for (const message of messages) {
    const decoded = route.decode(message);
    if (decoded.ok) {
      items.push({ message, value: decoded.value });
      const orderId = route.orderOf?.(decoded.value);
      if (orderId !== undefined) orders.set(message, orderId);
      spans?.ofOrder(message, orderId);
    } else {
      given.push({ message, failure: { class: "undecodable", transient: false, message: decoded.reason }, attempts: 0 });
      spans?.givenUp(message, decoded.reason);
    }
  }
  if (items.length === 0) return given;

  const work = () => transaction((tx) => route.handle(tx, items));
  const events: Outbound[] = [];
  for (const produced of await (spans ? spans.transaction(database, work) : work())) {
    const { cause } = produced;
    if ("event" in produced) {
      const { key, body } = produced.event;
      const topic = route.publishes[body.type];
      if (topic === undefined) throw new Error(`${route.name} publishes no ${body.type}`);
      const message: Outbound = jsonMessage(topic, key, body, { "correlation-id": correlationOf(cause) });
      if (spans) message.trace = spans.producedBy(cause, orders.get(cause));
      events.push(message);
    } else {
      log.warn("message unprocessable", { offset: cause.offset, partition: cause.partition, reason: produced.unprocessable, correlationId: correlationOf(cause) });
      given.push({ message: cause, failure: { class: "unprocessable", transient: false, message: produced.unprocessable }, attempts: 1 });
      spans?.givenUp(cause, produced.unprocessable);
    }
  }
  await publisher.publish(events);
  return given;
}

/**
 * Every consumer's chain, the whole of it: the middleware in order, outermost first, as Watermill's
 * AddMiddleware, around the route's handler. A batch succeeds in one pass through it: one handler
 * call (one database transaction) for every partition's messages of a fetch, then one publish. Only
 * a failure takes the longer way, and only for the batch it hit.
 */
export function chain<T, Tx>(route: Route<T, Tx>, deps: ChainDeps<Tx>, progress: Progress): Step {
  const middleware: Middleware[] = [
    // The batches kafkajs hands over for each partition at the same time go through as one.
    coalesce(),
    // Whatever the steps below give up on goes to the route's dead letters, before any offset is committed.
    deadLetter(route.deadLetters),
    // A batch that fails for good is halved until the message at fault is alone, and given up.
    isolate(),
    // A failure known to be transient is waited out, for as long as it lasts; any other is tried
    // ATTEMPTS times once the message is alone.
    retry({
      signal: deps.signal, log: deps.log, attempts: ATTEMPTS,
      onAttempt: (failure) => {
        if (failure) progress.failed(failure);
        deps.onAttempt?.(route.name, failure);
      },
    }),
  ];
  return middleware.reduceRight((next, wrap) => wrap(next), handled(route, deps));
}

export type Consumer = RunningConsumer & { progress: Progress };

/** Runs a route: the chain above between kafkajs and the offsets it commits. */
export async function startConsumer<T, Tx>(route: Route<T, Tx>, deps: ChainDeps<Tx> & { kafka: Kafka }): Promise<Consumer> {
  const log = deps.log.child({ group: route.name });
  const progress = new Progress(route.name, route.topics);
  const running = await runConsumer({
    kafka: deps.kafka, groupId: route.name, topics: route.topics, fromBeginning: route.fromBeginning, log, progress,
    handler: chain(route, { ...deps, log }, progress),
  });
  return { ...running, progress };
}
