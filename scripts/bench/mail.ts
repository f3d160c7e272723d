import { Kafka, logLevel } from "kafkajs";
import { join } from "node:path";
import type { Namespace } from "../../src/kafka/topics.ts";
import { runMailpit } from "../infra/mailpit.ts";
import { freePorts } from "../ports.ts";

export type BenchMailpit = { smtpUrl: string; stop(): Promise<void> };

/** A Mailpit of the bench's own, its mailbox and log under .artifacts/bench, for `--mail`. */
export async function startBenchMailpit(root: string): Promise<BenchMailpit> {
  // Ports nothing listens on now: the bench's Mailpit never meets the user's on 1025/8025.
  const [smtp, web] = (await freePorts(2)) as [number, number];
  const name = join(root, ".artifacts", "bench", `mailpit-${smtp}-${Date.now()}`);
  const proc = await runMailpit({
    smtp: { host: "127.0.0.1", port: smtp }, web: { host: "127.0.0.1", port: web }, database: `${name}.db`, log: `${name}.log`,
  });
  return {
    smtpUrl: `smtp://127.0.0.1:${smtp}`,
    async stop() {
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}

/**
 * Points the bench's notifier group at the end of its topics. Each run starts on an emptied database
 * but the same topics: where an earlier run's notifier left off, it would read on through events of
 * orders the database no longer has, and dead-letter them all, before the run's own.
 */
export async function skipEarlierRunsMail(brokers: string[], { topics, groups }: Namespace): Promise<void> {
  const admin = new Kafka({ clientId: "shop-bench-mail", brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    for (const topic of [topics.confirmed, topics.rejected, topics.cancelled, topics.shipped].filter((t) => existing.has(t))) {
      const partitions = (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({ partition, offset: high }));
      await admin.setOffsets({ groupId: groups.notifier, topic, partitions });
    }
  } finally {
    await admin.disconnect();
  }
}

export type MailFigures = { sent: number; failed: number; p50SecondsAtMost: number | null; p99SecondsAtMost: number | null };

/**
 * The shop's mails as its /metrics counts them, once the notifier (`group`) has caught up or
 * `waitMs` passed: sent and failed, and from shop_mail_seconds (the order's event to the SMTP
 * server taking its mail) the bucket bounds under which half and 99 % fell.
 */
export async function mailFigures(url: string, group: string, waitMs: number): Promise<MailFigures> {
  const scrape = async () => (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
  let text = await scrape();
  for (const until = Date.now() + waitMs; Date.now() < until; text = await scrape()) {
    const lags = [...text.matchAll(new RegExp(`^shop_consumer_lag_messages\\{group="${group}",[^}]*\\} (\\S+)$`, "gm"))];
    if (lags.length > 0 && lags.every((m) => m[1] === "0")) break;
    await Bun.sleep(500);
  }
  const total = (outcome: string) => [...text.matchAll(new RegExp(`^shop_mails_total\\{[^}]*outcome="${outcome}"[^}]*\\} (\\S+)$`, "gm"))]
    .reduce((sum, m) => sum + Number(m[1]), 0);
  const buckets = [...text.matchAll(/^shop_mail_seconds_bucket\{le="([^"]+)"\} (\S+)$/gm)].map((m) => ({ le: Number(m[1]), count: Number(m[2]) }));
  const count = buckets.at(-1)?.count ?? 0;
  const under = (share: number) => (count === 0 ? null : buckets.find((b) => b.count >= share * count)!.le);
  return { sent: total("sent"), failed: total("failed"), p50SecondsAtMost: under(0.5), p99SecondsAtMost: under(0.99) };
}
