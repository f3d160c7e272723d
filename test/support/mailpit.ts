import type { Subprocess } from "bun";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runMailpit } from "../../scripts/infra/mailpit.ts";
import { freePorts } from "../../scripts/ports.ts";

const LOGS = resolve(import.meta.dir, "..", "..", ".artifacts", "logs");

/** A message as Mailpit's list and search answer it. */
export type MailSummary = { ID: string; MessageID: string; Subject: string; To: { Name: string; Address: string }[]; From: { Name: string; Address: string } };
/** One message in full, as GET /api/v1/message/{ID} answers it. */
export type Mail = MailSummary & { Text: string; HTML: string };

export type Mailpit = Awaited<ReturnType<typeof startMailpit>>;

/** Every Mailpit a test started and has not closed: the run's end closes those a failed file left. */
const live = new Set<Mailpit>();

export async function endLeftoverMailpits(): Promise<void> {
  await Promise.all([...live].map((m) => m.close()));
}

/**
 * A Mailpit of the test's own on free ports of 127.0.0.1, its mailbox in a temporary file of its own
 * so that `stop` and `start` keep what it took (`close` removes it); `allowedRecipients` (a regular expression) makes it refuse
 * every other recipient with a 5xx; `ignoreDuplicateIds` drops a mail whose Message-ID it has, as
 * a receiving server may.
 */
export async function startMailpit(options: { allowedRecipients?: string; ignoreDuplicateIds?: boolean } = {}) {
  const [smtpPort, webPort] = await freePorts(2);
  const name = `mailpit-${smtpPort}-${Date.now()}`;
  const config = {
    smtp: { host: "127.0.0.1", port: smtpPort! },
    web: { host: "127.0.0.1", port: webPort! },
    database: join(mkdtempSync(join(tmpdir(), "shop-mailpit-")), "mailpit.db"),
    log: join(LOGS, `${name}.log`),
    allowedRecipients: options.allowedRecipients,
    ignoreDuplicateIds: options.ignoreDuplicateIds,
  };
  let proc: Subprocess | undefined = await runMailpit(config);
  const api = `http://127.0.0.1:${webPort}/api/v1`;
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${api}${path}`);
    if (!response.ok) throw new Error(`Mailpit GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };

  const mailpit = {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    log: config.log,
    /** Every message Mailpit's search finds for `query` (`to:a@b`, `subject:"x"`), newest first. */
    async search(query: string): Promise<MailSummary[]> {
      const found: MailSummary[] = [];
      for (let start = 0; ; start += 1000) {
        const page = await get<{ messages: MailSummary[]; messages_count: number }>(`/search?query=${encodeURIComponent(query)}&limit=1000&start=${start}`);
        found.push(...page.messages);
        if (page.messages.length < 1000) return found;
      }
    },
    message: (id: string) => get<Mail>(`/message/${id}`),
    headers: (id: string) => get<Record<string, string[]>>(`/message/${id}/headers`),
    async total(): Promise<number> {
      return (await get<{ total: number }>("/messages?limit=1")).total;
    },
    /** The messages to `address`, once there are at least `count` of them. */
    async waitFor(address: string, count = 1, timeoutMs = 30_000): Promise<MailSummary[]> {
      for (const until = Date.now() + timeoutMs; ;) {
        const found = await mailpit.search(`to:"${address}"`);
        if (found.length >= count) return found;
        if (Date.now() > until) throw new Error(`${found.length} of ${count} mails to ${address} within ${timeoutMs} ms`);
        await Bun.sleep(100);
      }
    },
    /** Stops it: mail sent meanwhile finds no server. */
    async stop() {
      proc?.kill("SIGTERM");
      await proc?.exited;
      proc = undefined;
    },
    /** Starts it again on the same ports, with the mail it had. */
    async start() {
      proc = await runMailpit(config);
    },
    /** Stops it for good, its mailbox removed. */
    async close() {
      await mailpit.stop();
      rmSync(resolve(config.database, ".."), { recursive: true, force: true });
      live.delete(mailpit);
    },
  };
  live.add(mailpit);
  return mailpit;
}
