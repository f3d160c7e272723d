import type { Admin } from "kafkajs";
import { consumerLag, type Lag } from "./lag.ts";
import type { Consumer } from "./chain.ts";

/** How often the lag on this instance's partitions is measured for the consumers' Progress. */
const EVERY_MS = 5_000;

/** Tells each consumer's Progress how many messages wait on the partitions this instance owns. */
export function recordLag(consumers: readonly Consumer[], lags: readonly Lag[], now = Date.now()) {
  for (const c of consumers) {
    const mine = c.partitions();
    const waiting = lags.filter((l) => l.group === c.groupId && mine.some((p) => p.topic === l.topic && p.partition === l.partition))
      .reduce((sum, l) => sum + l.lag, 0);
    c.progress.lagged(waiting, now);
  }
}

/**
 * Measures, every few seconds, the lag of this instance's consumers, so that one that cannot fetch
 * (it holds no batch, so nothing else shows it) is seen as stalled. A measurement Kafka does not
 * answer is skipped: readiness already says Kafka is unreachable. Returns how to stop it.
 */
export function watchLag(admin: Admin, consumers: readonly Consumer[]): () => void {
  const subscriptions = consumers.flatMap((c) => c.progress.topics.map((topic) => ({ group: c.groupId, topic })));
  let measuring = false;
  const timer = setInterval(async () => {
    if (measuring) return;
    measuring = true;
    try {
      recordLag(consumers, await consumerLag(admin, subscriptions));
    } catch {
      // Kafka unreachable: the next round tries again.
    } finally {
      measuring = false;
    }
  }, EVERY_MS);
  return () => clearInterval(timer);
}
