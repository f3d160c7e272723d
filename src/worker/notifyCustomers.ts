import * as v from "valibot";
import type { Tx } from "../db/client.ts";
import { ordersByIds, recordedMails, type MailRecord } from "../db/notifications.ts";
import type { Handler, Inbound, Produced } from "../kafka/message.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import { composeMail, MAIL_KINDS, type MailKind } from "../notifications/mail.tsx";
import type { Mailer } from "../notifications/smtp.ts";
import { OrderCancelledEnvelope, OrderConfirmedEnvelope, OrderRejectedEnvelope, OrderShippedEnvelope } from "../orders/envelope.ts";
import { WHATWG_EMAIL } from "../orders/fields.ts";
import { signOrderLink } from "../orders/orderLinks.ts";

/** What the notifier reads: the events that mail the customer. */
export const MailEventEnvelope = v.variant("type", [OrderConfirmedEnvelope, OrderRejectedEnvelope, OrderCancelledEnvelope, OrderShippedEnvelope]);
export type MailEventEnvelope = v.InferOutput<typeof MailEventEnvelope>;

/** An address one SMTP envelope can carry, and only one: what the checkout form accepts. */
const Recipient = v.pipe(v.string(), v.maxLength(254), v.regex(WHATWG_EMAIL));

export type NotifyDeps = {
  mailer: Mailer;
  /** SMTP_FROM, and SHOP_URL for the link to the order. */
  from: string;
  shopUrl: string;
  linkSecret: string;
  /**
   * Records mails at once, outside the batch's transaction: a mail the server took stays recorded
   * even when another of the batch waits for the server, so retrying the batch does not send it again.
   */
  record(records: MailRecord[]): Promise<void>;
  log: Logger;
  metrics: Metrics;
};

type Wanted = { message: Inbound; orderId: string; kind: MailKind; occurredAt: string };

/**
 * Each event mails the order's customer once per order and kind: what the notifications table
 * already holds is skipped. The batch's mails go out side by side; a 5xx, or an address no SMTP
 * envelope should carry, is recorded as failed; the server out of reach or answering 4xx fails the
 * batch as transient once the others are recorded, and the chain retries it without bound.
 */
export function notifyCustomers({ mailer, from, shopUrl, linkSecret, record, log, metrics }: NotifyDeps): Handler<MailEventEnvelope, Tx> {
  return async (tx, items) => {
    const wanted = new Map<string, Wanted>();
    for (const { message, value } of items) {
      const kind = MAIL_KINDS[value.type];
      wanted.set(`${value.orderId} ${kind}`, { message, orderId: value.orderId, kind, occurredAt: value.occurredAt });
    }
    const done = await recordedMails(tx, [...wanted.values()]);
    const todo = [...wanted].filter(([key]) => !done.has(key)).map(([, w]) => w);
    const orders = await ordersByIds(tx, todo.map((w) => w.orderId));

    const produced: Produced[] = [];
    const records: MailRecord[] = [];
    let waiting: unknown;
    await Promise.all(todo.map(async ({ message, orderId, kind, occurredAt }) => {
      const order = orders.get(orderId);
      if (!order) {
        produced.push({ cause: message, unprocessable: `${kind} mail for an order that does not exist: ${orderId}` });
        return;
      }
      const link = `${shopUrl}/orders/${orderId}?token=${signOrderLink(linkSecret, orderId)}`;
      const mail = composeMail({ kind, order, link, from });
      const base = { orderId, kind, messageId: mail.messageId, recipient: mail.to };
      if (!v.is(Recipient, mail.to)) {
        records.push({ ...base, status: "failed", error: "not one valid email address: no server was asked" });
        return;
      }
      try {
        const delivery = await mailer.send(mail);
        records.push(delivery.sent ? { ...base, status: "sent" } : { ...base, status: "failed", error: delivery.error });
        if (delivery.sent) metrics.mailSeconds.observe((Date.now() - Date.parse(occurredAt)) / 1000);
      } catch (error) {
        waiting ??= error;
      }
    }));
    await record(records);
    for (const r of records) {
      metrics.mails.inc({ kind: r.kind, outcome: r.status });
      if (r.status === "failed") log.warn("mail failed", { orderId: r.orderId, kind: r.kind, error: r.error });
    }
    if (waiting !== undefined) throw waiting;
    return produced;
  };
}
