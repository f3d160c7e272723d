import nodemailer from "nodemailer";
import { SmtpUnavailable } from "../failure.ts";
import type { OutgoingMail } from "./mail.tsx";

/** The SMTP server's verdict on one mail: taken, or refused for good (a 5xx), with its answer. */
export type Delivery = { sent: true } | { sent: false; error: string };

export type Mailer = { send(mail: OutgoingMail): Promise<Delivery>; close(): void };

/**
 * Connections kept open to the SMTP server: the notifier's mails of a batch go out over them side by
 * side. A mail is five round trips (MAIL, RCPT, DATA, the message, RSET; Mailpit offers no
 * PIPELINING), so at 200 mails/s ten connections were busy all the time and mail fell behind; 25
 * kept up (BENCHMARKS.md, Mail), and 40 did no better.
 */
const CONNECTIONS = 25;

/** What leaves no reply to read: the server out of reach, the connection cut, a timeout, a TLS or DNS failure. */
const UNREACHABLE = new Set(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS", "ETLS", "EPROTOCOL", "EPROXY", "ECONNREFUSED", "ECONNRESET"]);

type SmtpError = { code?: string; responseCode?: number; permanent?: boolean; response?: string; message?: string };

/**
 * A 5xx is the server refusing this mail for good (its recipient, say): recorded as failed, never
 * sent again. A 4xx, no answer at all, or refused credentials (a setting to fix, which would
 * otherwise fail every mail) is transient: thrown, for the chain to retry with backoff, without
 * bound. Anything else is the chain's to judge.
 */
export function verdictOf(error: unknown): Delivery {
  const e = error as SmtpError;
  if (e?.code === "EAUTH" || e?.code === "ENOAUTH") throw new SmtpUnavailable(`SMTP authentication failed: ${e.response ?? e.message}`);
  if (typeof e?.responseCode === "number") {
    if (e.permanent === true) return { sent: false, error: (e.response ?? e.message ?? String(e.responseCode)).slice(0, 500) };
    throw new SmtpUnavailable(`SMTP answered ${e.response ?? e.responseCode}`);
  }
  if (e?.code && UNREACHABLE.has(e.code)) throw new SmtpUnavailable(`SMTP server unreachable: ${e.message}`);
  throw error;
}

/**
 * Mail over SMTP_URL through nodemailer's pool. `from` is SMTP_FROM; the Message-ID is the mail's own
 * (deterministic, see mail.tsx), never one nodemailer makes up.
 */
export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: CONNECTIONS,
    // Short: a server that does not answer is waited out by the chain's backoff, not by a socket.
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 20_000,
    // A mail's parts are strings we made; nothing in one may make nodemailer read a file or a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    async send(mail) {
      try {
        await transport.sendMail(messageOf(mail, from));
        return { sent: true };
      } catch (error) {
        return verdictOf(error);
      }
    },
    close: () => transport.close(),
  };
}

const addressOf = (from: string) => /<([^>]+)>$/.exec(from)?.[1] ?? from;

/** What nodemailer is given for a mail: its parts, its own Message-ID, and an envelope of the one checked address. */
export const messageOf = (mail: OutgoingMail, from: string) => ({
  from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: mail.messageId,
  // Nothing in the message chooses a recipient: the SMTP envelope is the address alone.
  envelope: { from: addressOf(from), to: [mail.to] },
});
