import { recordMails } from "../db/notifications.ts";
import { startConsumer, type Consumer } from "../kafka/chain.ts";
import { decodeEnvelope } from "../kafka/decode.ts";
import { smtpMailer } from "../notifications/smtp.ts";
import { routing, type Deps } from "./index.ts";
import { MailEventEnvelope, notifyCustomers } from "./notifyCustomers.ts";

type NotifierDeps = Deps & {
  smtp: { url: string; from: string }; shopUrl: string; linkSecret: string;
};

export type Notifier = { consumer: Consumer; stop(): Promise<void> };

/**
 * The notifier role: one consumer, in a group of its own, so that an SMTP server that is down or slow
 * holds back nothing but the mails. Same chain, error policy and dead letters as the worker's.
 */
export async function startNotifier({ smtp, shopUrl, linkSecret, ...workerDeps }: NotifierDeps): Promise<Notifier> {
  const { ns: { topics, groups }, sql, log, metrics } = workerDeps;
  const stopping = new AbortController();
  const { deps, deadLetters } = routing(workerDeps, stopping.signal);
  const mailer = smtpMailer(smtp.url, smtp.from);
  const consumer = await startConsumer({
    name: groups.notifier,
    topics: [topics.confirmed, topics.rejected, topics.cancelled, topics.shipped],
    // A shop that turns mail on has a history: its past customers hear nothing of their old orders.
    // A group that committed goes on from there, whatever this says.
    fromBeginning: false,
    decode: decodeEnvelope(MailEventEnvelope, (e) => e.orderId), orderOf: (e) => e.orderId,
    handle: notifyCustomers({
      mailer, from: smtp.from, shopUrl, linkSecret, record: (records) => recordMails(sql, records), log: log.child({ component: "notifier" }), metrics,
    }),
    publishes: {},
    deadLetters,
  }, deps);
  return {
    consumer,
    async stop() {
      stopping.abort();
      await consumer.stop();
      mailer.close();
    },
  };
}
