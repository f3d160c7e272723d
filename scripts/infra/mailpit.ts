import type { Subprocess } from "bun";
import { connect } from "node:net";
import { resolve } from "node:path";
import { daemonPid, spawnLogged, stopDaemon, untilAnswering } from "./daemon.ts";
import { goInstall } from "./goInstall.ts";
import type { Probe } from "./probe.ts";
import { InfraError } from "./run.ts";
import { infraDir, type Started } from "./state.ts";
import type { SmtpTarget } from "./targets.ts";

/** Pinned: `go install` builds exactly this from the Go module proxy (v1.33.1 builds too). */
export const MAILPIT_VERSION = "v1.27.11";
const home = resolve(infraDir, "mailpit", MAILPIT_VERSION);
/** Where infra:up's Mailpit keeps its mailbox, log and pid, across restarts. */
const dataDir = resolve(infraDir, "mailpit", "data");
const STARTUP_LIMIT_MS = 15_000;

/**
 * Mailpit built from the Go module proxy into .infra/mailpit/<version>/, once per machine: about a
 * minute on two cores from an empty Go cache (go install github.com/axllent/mailpit@v1.27.11, timed).
 */
export const ensureMailpit = () => goInstall({
  name: "Mailpit", module: "github.com/axllent/mailpit", version: MAILPIT_VERSION, home, command: "mailpit", minutes: "about a minute",
});

export type MailpitOptions = {
  smtp: { host: string; port: number };
  web: { host: string; port: number };
  /** Its mailbox: kept across a restart, so mail taken before a stop is still there after. */
  database: string;
  log: string;
  /** A regular expression; a recipient that does not match is refused with a 5xx at RCPT TO. */
  allowedRecipients?: string;
  /** Drops a mail whose Message-ID it already has. */
  ignoreDuplicateIds?: boolean;
  /** A session of its own, outliving the process that started it (infra:up's). */
  detached?: boolean;
};

/** Mailpit on the addresses given, answering its API before this returns. */
export async function runMailpit(options: MailpitOptions): Promise<Subprocess> {
  const binary = await ensureMailpit();
  const proc = spawnLogged([
    binary,
    "--smtp", `${options.smtp.host}:${options.smtp.port}`,
    "--listen", `${options.web.host}:${options.web.port}`,
    "--database", options.database,
    // A load test sends thousands; the default keeps only the last 500.
    "--max", "0",
    "--disable-version-check",
    "--smtp-disable-rdns",
    "--smtp-auth-accept-any", "--smtp-auth-allow-insecure",
    ...(options.allowedRecipients ? ["--smtp-allowed-recipients", options.allowedRecipients] : []),
    ...(options.ignoreDuplicateIds ? ["--ignore-duplicate-ids"] : []),
  ], options.log, options.detached);
  const web = `http://${options.web.host}:${options.web.port}`;
  await untilAnswering(proc, {
    title: "Mailpit", address: web, log: options.log, limitMs: STARTUP_LIMIT_MS,
    answers: async () => (await fetch(`${web}/api/v1/info`).then((r) => r.ok, () => false)) && (await probeSmtp(options.smtp)).state === "answers",
  });
  return proc;
}

/** An SMTP server answers when it greets a new connection with 220. */
export function probeSmtp({ host, port }: { host: string; port: number }, timeoutMs = 2_000): Promise<Probe> {
  return new Promise((settle) => {
    const socket = connect({ host: host.replace(/^\[|\]$/g, ""), port });
    const done = (probe: Probe) => {
      socket.destroy();
      settle(probe);
    };
    socket.setTimeout(timeoutMs, () => done({ state: "refuses", why: `no SMTP greeting within ${timeoutMs} ms` }));
    socket.once("error", () => done({ state: "absent" }));
    socket.once("data", (data) => {
      const line = data.toString("latin1").split("\r\n")[0]!;
      done(line.startsWith("220") ? { state: "answers" } : { state: "refuses", why: `greets with ${JSON.stringify(line.slice(0, 80))}, not 220` });
    });
  });
}

type NativeMailpit = Extract<Started, { by: "native" }>;
const pidFile = resolve(dataDir, "pid");

/** infra:up's Mailpit, in a session of its own so it outlives infra:up. */
export async function startMailpit(target: SmtpTarget): Promise<NativeMailpit> {
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(target.host)) {
    throw new InfraError(`SMTP_URL names ${target.address}, which does not answer; infra:up starts Mailpit only on this machine`);
  }
  const proc = await runMailpit({
    smtp: target, web: target.web, database: resolve(dataDir, "mailpit.db"), log: resolve(dataDir, "mailpit.log"), detached: true,
  });
  proc.unref();
  await Bun.write(pidFile, `${proc.pid}\n`);
  return { by: "native", address: target.address, dataDir };
}

export const mailpitPid = () => daemonPid(pidFile, "mailpit");

export const stopMailpit = () => stopDaemon(pidFile, "mailpit");
