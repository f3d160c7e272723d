import type { Kafka } from "kafkajs";
import { CatalogCommandEnvelope, catalogKey } from "../catalog/schemas.ts";
import type { Sql, Tx } from "../db/client.ts";
import { startConsumer, type Consumer } from "../kafka/chain.ts";
import { decodeEnvelope } from "../kafka/decode.ts";
import type { Inbound } from "../kafka/message.ts";
import { logOnly, toDeadLetterTopic } from "../kafka/middleware/deadLetter.ts";
import type { Publisher } from "../kafka/publisher.ts";
import type { Namespace } from "../kafka/topics.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import { OrderCommandEnvelope, OrderPlacedEnvelope } from "../orders/envelope.ts";
import { applyCatalog } from "./applyCatalog.ts";
import { confirmOrders } from "./confirmOrders.ts";
import { orderCommands } from "./orderCommands.ts";
import { storeDeadLetters } from "./storeDeadLetters.ts";

export type Deps = { kafka: Kafka; ns: Namespace; sql: Sql; publisher: Publisher; log: Logger; metrics: Metrics };

export type Worker = { consumers: Consumer[]; stop(): Promise<void> };

/**
 * What every route of the shop runs with, the worker's and the notifier's: one transaction per batch
 * on `sql`, its attempts counted, and what it gives up on sent to orders.dlq.
 */
export function routing({ kafka, ns, sql, publisher, log, metrics }: Deps, signal: AbortSignal) {
  const deadLetters = toDeadLetterTopic({
    topic: ns.topics.dlq, publisher, signal, log: log.child({ component: "dlq" }),
    onDeadLettered: ({ message, failure }) => metrics.deadLettered.inc({ source: message.topic, class: failure.class }),
  });
  const deps = {
    kafka, publisher, signal, log, transaction: <R>(work: (tx: Tx) => Promise<R>) => sql.begin(work) as Promise<R>, database: sql.options.database,
    onAttempt: (name: string, failure: { class: string } | null) => metrics.consumerAttempts.inc({ group: name, outcome: failure?.class ?? "ok" }),
  };
  return { deps, deadLetters };
}

/**
 * The worker role's routes: the two consumers of the order pipeline, the catalog's, and the one that
 * keeps the dead letters in PostgreSQL for the operations page. Each runs the same chain (kafka/chain.ts).
 */
export async function startWorker(workerDeps: Deps): Promise<Worker> {
  const { ns, log, metrics } = workerDeps;
  const stopping = new AbortController();
  const { topics, groups } = ns;
  const { deps, deadLetters: toDlq } = routing(workerDeps, stopping.signal);
  const catalogEvents = topics.catalogEvents;

  const consumers = await Promise.all([
    startConsumer({
      name: groups.commands, topics: [topics.commands], decode: decodeEnvelope(OrderCommandEnvelope, (e) => e.orderId),
      handle: orderCommands({ log: log.child({ component: "commands" }), metrics }), orderOf: (e) => e.orderId,
      publishes: {
        OrderPlaced: topics.placed, OrderRejected: topics.rejected, OrderCancelled: topics.cancelled, OrderShipped: topics.shipped,
        OrderDelivered: topics.delivered, OrderCommandRefused: topics.refused,
      },
      deadLetters: toDlq,
    }, deps),
    startConsumer({
      name: groups.events, topics: [topics.placed], decode: decodeEnvelope(OrderPlacedEnvelope, (e) => e.orderId),
      handle: confirmOrders({ log: log.child({ component: "events" }), metrics }), orderOf: (e) => e.orderId,
      publishes: { OrderConfirmed: topics.confirmed }, deadLetters: toDlq,
    }, deps),
    startConsumer({
      name: groups.catalog, topics: [topics.catalogCommands], decode: decodeEnvelope(CatalogCommandEnvelope, catalogKey),
      handle: applyCatalog,
      publishes: {
        ProductChanged: catalogEvents, ProductChangeRejected: catalogEvents, StockAdjusted: catalogEvents, StockAdjustmentRejected: catalogEvents,
        CategoryChanged: catalogEvents, CategoryChangeRejected: catalogEvents,
      },
      deadLetters: toDlq,
    }, deps),
    startConsumer({
      name: groups.deadLetters, topics: [topics.dlq], decode: (m: Inbound) => ({ ok: true as const, value: m }),
      handle: storeDeadLetters,
      publishes: {}, deadLetters: logOnly(log.child({ component: "dead-letters" })),
    }, deps),
  ]);

  return {
    consumers,
    async stop() {
      // Cuts short a backoff wait; a batch that is running finishes and commits first.
      stopping.abort();
      await Promise.all(consumers.map((c) => c.stop()));
    },
  };
}
