import type { Kafka } from "kafkajs";
import type { Sql } from "../db/client.ts";
import { classify } from "../failure.ts";
import { insertDeadLetters } from "../db/deadLetters.ts";
import { runConsumer, type RunningConsumer } from "../kafka/consumer.ts";
import { deadLetter, type Decodable } from "../kafka/middleware/deadLetter.ts";
import { retry } from "../kafka/middleware/retry.ts";
import type { Outbound, Publisher } from "../kafka/publisher.ts";
import type { Namespace } from "../kafka/topics.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import { decode, OrderPlacedEnvelope, PlaceOrderEnvelope } from "../orders/envelope.ts";
import { CatalogCommandEnvelope } from "../catalog/schemas.ts";
import { applyCatalog } from "./applyCatalog.ts";
import { confirmOrders } from "./confirmOrders.ts";
import { placeOrders } from "./placeOrders.ts";
import { storeDeadLetters } from "./storeDeadLetters.ts";

type Deps = { kafka: Kafka; ns: Namespace; sql: Sql; publisher: Publisher; log: Logger; metrics: Metrics };

export type Worker = { consumers: RunningConsumer[]; stop(): Promise<void> };

const isPermanent = (error: unknown) => !classify(error).transient;

/**
 * The two consumers of the order pipeline, each a handler wrapped in retry and dead-letter, and the
 * one that keeps the dead letters in PostgreSQL for the operations page.
 */
export async function startWorker({ kafka, ns, sql, publisher, log, metrics }: Deps): Promise<Worker> {
  const stopping = new AbortController();
  const retrying = { isPermanent, signal: stopping.signal };
  const sendToDlq = retry(async (messages: Outbound[]) => {
    await publisher.publish(messages);
    for (const m of messages) metrics.deadLettered.inc({ source: m.headers["dlq-source-topic"] ?? "unknown" });
  }, { ...retrying, log: log.child({ component: "dlq" }) });

  const commandsLog = log.child({ component: "commands" });
  const eventsLog = log.child({ component: "events" });
  const deadLettersLog = log.child({ component: "dead-letters" });
  const catalogLog = log.child({ component: "catalog" });
  const consumers = await Promise.all([
    runConsumer({
      kafka, log: commandsLog, groupId: ns.groups.commands, topic: ns.topics.commands,
      handler: deadLetter(retry(placeOrders({ sql, publisher, topics: ns.topics, log: commandsLog, metrics }), { ...retrying, log: commandsLog }), {
        decode: (m) => decode(PlaceOrderEnvelope, m.value), dlqTopic: ns.topics.dlq, isPermanent, send: sendToDlq, log: commandsLog,
      }),
    }),
    runConsumer({
      kafka, log: eventsLog, groupId: ns.groups.events, topic: ns.topics.placed,
      handler: deadLetter(retry(confirmOrders({ sql, publisher, topics: ns.topics, log: eventsLog, metrics }), { ...retrying, log: eventsLog }), {
        decode: (m) => decode(OrderPlacedEnvelope, m.value), dlqTopic: ns.topics.dlq, isPermanent, send: sendToDlq, log: eventsLog,
      }),
    }),
    runConsumer({
      kafka, log: deadLettersLog, groupId: ns.groups.deadLetters, topic: ns.topics.dlq,
      handler: retry(storeDeadLetters({ insert: (letters) => insertDeadLetters(sql, letters), log: deadLettersLog }), { ...retrying, log: deadLettersLog }),
    }),
    runConsumer({
      kafka, log: catalogLog, groupId: ns.groups.catalog, topic: ns.topics.catalogCommands,
      handler: deadLetter(retry(async (items: Decodable<CatalogCommandEnvelope>[]) => {
        const at = new Date();
        await publisher.publish(await sql.begin((tx) => applyCatalog(tx, items, at, ns.topics.catalogEvents)));
      }, { ...retrying, log: catalogLog }), {
        decode: (m) => decode(CatalogCommandEnvelope, m.value), dlqTopic: ns.topics.dlq, isPermanent, send: sendToDlq, log: catalogLog,
      }),
    }),
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
