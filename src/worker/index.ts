import type { Kafka } from "kafkajs";
import { CatalogCommandEnvelope } from "../catalog/schemas.ts";
import type { Sql } from "../db/client.ts";
import { insertDeadLetters } from "../db/deadLetters.ts";
import type { Inbound } from "../kafka/message.ts";
import { logOnly, toDeadLetterTopic } from "../kafka/middleware/deadLetter.ts";
import type { Publisher } from "../kafka/publisher.ts";
import { startConsumer, type Consumer } from "../kafka/router.ts";
import type { Namespace } from "../kafka/topics.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import { decode, OrderPlacedEnvelope, PlaceOrderEnvelope } from "../orders/envelope.ts";
import { applyCatalog } from "./applyCatalog.ts";
import { confirmOrders } from "./confirmOrders.ts";
import { placeOrders } from "./placeOrders.ts";
import { storeDeadLetters } from "./storeDeadLetters.ts";

type Deps = { kafka: Kafka; ns: Namespace; sql: Sql; publisher: Publisher; log: Logger; metrics: Metrics };

export type Worker = { consumers: Consumer[]; stop(): Promise<void> };

/**
 * The worker role's routes: the two consumers of the order pipeline, the catalog's, and the one that
 * keeps the dead letters in PostgreSQL for the operations page. Each runs the same chain (kafka/router.ts).
 */
export async function startWorker({ kafka, ns, sql, publisher, log, metrics }: Deps): Promise<Worker> {
  const stopping = new AbortController();
  const signal = stopping.signal;
  const deps = {
    kafka, publisher, signal, log,
    onAttempt: (group: string, failure: { class: string } | null) => metrics.consumerAttempts.inc({ group, outcome: failure?.class ?? "ok" }),
  };
  const toDlq = toDeadLetterTopic({
    topic: ns.topics.dlq, publisher, signal, log: log.child({ component: "dlq" }),
    onDeadLettered: ({ message, failure }) => metrics.deadLettered.inc({ source: message.topic, class: failure.class }),
  });
  const { topics, groups } = ns;

  const consumers = await Promise.all([
    startConsumer({
      groupId: groups.commands, topic: topics.commands, decode: (m) => decode(PlaceOrderEnvelope, m, (e) => e.orderId),
      handler: placeOrders({ sql, topics, log: log.child({ component: "commands" }), metrics }), deadLetter: toDlq,
    }, deps),
    startConsumer({
      groupId: groups.events, topic: topics.placed, decode: (m) => decode(OrderPlacedEnvelope, m, (e) => e.orderId),
      handler: confirmOrders({ sql, topics, log: log.child({ component: "events" }), metrics }), deadLetter: toDlq,
    }, deps),
    startConsumer({
      groupId: groups.catalog, topic: topics.catalogCommands, decode: (m) => decode(CatalogCommandEnvelope, m, (e) => e.productId),
      handler: (items) => sql.begin((tx) => applyCatalog(tx, items, new Date(), topics.catalogEvents)), deadLetter: toDlq,
    }, deps),
    startConsumer({
      groupId: groups.deadLetters, topic: topics.dlq, decode: (m: Inbound) => ({ ok: true as const, value: m }),
      handler: storeDeadLetters({ insert: (letters) => insertDeadLetters(sql, letters) }), deadLetter: logOnly(log.child({ component: "dead-letters" })),
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
