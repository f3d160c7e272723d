import type { Admin } from "kafkajs";
import type { Sql } from "../db/client.ts";
import { countDeadLetters, listDeadLetters, lockDeadLetter, markReplayed } from "../db/deadLetters.ts";
import { countMails } from "../db/notifications.ts";
import { countOrders, ordersPerInterval } from "../db/orderStats.ts";
import { classify } from "../failure.ts";
import { consumerLag } from "../kafka/lag.ts";
import { replayOf } from "../kafka/middleware/deadLetter.ts";
import type { Publisher } from "../kafka/publisher.ts";
import type { Consumer } from "../kafka/chain.ts";
import type { Namespace } from "../kafka/topics.ts";
import type { Logger } from "../log.ts";
import { within } from "../waiting.ts";
import { deadLetterOf } from "./deadLetters.ts";
import type { DeadLetter, Overview } from "./schemas.ts";

const BUCKET_SECONDS = 10;
const BUCKETS = 60;
/**
 * PostgreSQL or Kafka may be what is down when someone looks: the overview waits this long for each,
 * then shows what it has. Its stalled consumers need neither, and they are what says why.
 */
const ANSWER_MS = 2_000;
/** As for an order: the operator hears within this long whether Kafka took the message. */
const ACK_TIMEOUT_MS = 5_000;

export type ReplayResult =
  | { outcome: "replayed"; deadLetter: DeadLetter }
  | { outcome: "not_found" }
  | { outcome: "refused"; why: string }
  | { outcome: "unacknowledged" };

export type Operations = {
  overview(): Promise<Overview>;
  deadLetters(limit: number): Promise<DeadLetter[]>;
  /**
   * Publishes the dead letter's original message to its source topic and marks it replayed once
   * Kafka acknowledged it. A dead letter is replayed once: if it fails again, that is a new dead letter.
   */
  replay(id: string): Promise<ReplayResult>;
};

/** What the operations page shows and does, from PostgreSQL and Kafka. */
export function operations({ sql, admin, ns, publisher, consumers, log }: {
  sql: Sql; admin: Admin; ns: Namespace; publisher: Publisher; consumers: () => Consumer[]; log: Logger;
}): Operations {
  /** Only the topics the shop consumes: a dlq-source-topic header, which anyone can write, chooses no other. */
  const replayable: ReadonlySet<string> = new Set(ns.subscriptions.map((s) => s.topic).filter((t) => t !== ns.topics.dlq));
  return {
    async overview() {
      const [stored, lag] = await Promise.all([
        within(ANSWER_MS, Promise.all([countOrders(sql), ordersPerInterval(sql, new Date(), BUCKET_SECONDS, BUCKETS), countDeadLetters(sql), countMails(sql)]))
          .catch((error) => {
            log.warn("order counts unavailable", { err: error });
            return null;
          }),
        within(ANSWER_MS, consumerLag(admin, ns.subscriptions)).catch((error) => {
          log.warn("consumer lag unavailable", { err: error });
          return null;
        }),
      ]);
      const stalledConsumers = consumers().filter((c) => c.progress.stalled())
        .map((c) => ({ group: c.groupId, topic: c.progress.topics.join(", "), lastError: c.progress.lastError }));
      const [counts, buckets, deadLetters, mails] = stored ?? [{ ordersByStatus: null, rejectedByReason: null }, null, null, null];
      const pending = lag && lag.filter((l) => l.group === ns.groups.notifier).reduce((sum, l) => sum + l.lag, 0);
      return {
        ...counts, ordersPerSecond: buckets && { bucketSeconds: BUCKET_SECONDS, buckets }, consumerLag: lag, stalledConsumers, deadLetters,
        mails: {
          sent: mails?.sent ?? null, failed: mails?.failed ?? null, pending,
          stalled: stalledConsumers.some((c) => c.group === ns.groups.notifier),
        },
      };
    },

    deadLetters: async (limit) => (await listDeadLetters(sql, limit)).map(deadLetterOf),

    // The row stays locked while Kafka is asked, so a second click waits and then finds it replayed.
    // Should the commit fail after Kafka's acknowledgement, the message was replayed but is not marked:
    // a replay is at least once, which the consumers, idempotent by design, absorb.
    replay: (id) => sql.begin(async (tx): Promise<ReplayResult> => {
      const letter = await lockDeadLetter(tx, id);
      if (!letter) return { outcome: "not_found" };
      if (letter.replayedAt) return { outcome: "refused", why: `it was already replayed at ${letter.replayedAt.toISOString()}; if it failed again, it is a newer dead letter` };
      if (!letter.sourceTopic || !replayable.has(letter.sourceTopic)) {
        return { outcome: "refused", why: `its source topic ${JSON.stringify(letter.sourceTopic)} is not one the shop consumes` };
      }
      if (letter.headers["dlq-truncated"] !== undefined) {
        return { outcome: "refused", why: `it is a truncated copy of a ${letter.headers["dlq-truncated"]}-byte original, which orders.dlq could not hold` };
      }
      const message = replayOf({ ...letter, sourceTopic: letter.sourceTopic });
      try {
        await within(ACK_TIMEOUT_MS, publisher.publish([message], Date.now() + ACK_TIMEOUT_MS));
      } catch (error) {
        const failure = classify(error);
        log.warn("replay not acknowledged by Kafka", { deadLetter: id, errorClass: failure.class, err: error });
        // Refused for good (too large for its topic now, say) is the operator's to fix; anything else,
        // a timeout included, may work on the next click.
        return failure.class === "kafka_rejected" ? { outcome: "refused", why: `Kafka refuses it: ${failure.message}` } : { outcome: "unacknowledged" };
      }
      log.info("dead letter replayed", { deadLetter: id, topic: message.topic, key: message.key });
      return { outcome: "replayed", deadLetter: deadLetterOf(await markReplayed(tx, id, new Date())) };
    }),
  };
}
