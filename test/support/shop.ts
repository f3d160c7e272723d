import type { Subprocess } from "bun";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { freePorts } from "../../scripts/ports.ts";

const ROOT = join(import.meta.dir, "..", "..");
/** SHOP_BINARY runs the tests against another build of the binary. */
export const BINARY = process.env.SHOP_BINARY ?? join(ROOT, "dist", "shop");
const LOGS = join(ROOT, ".artifacts", "logs");

export type RunningShop = {
  url: string;
  port: number;
  proc: Subprocess;
  logFile: string;
  /** SIGTERM, then wait for the exit code. */
  stop(): Promise<number>;
  /** SIGKILL, then wait. */
  kill(): Promise<void>;
};

/**
 * Every shop started and not yet exited, with the test file that started it. A file whose beforeAll
 * fails half-way never stops what it started (two shops of a failed Promise.all lived on through the
 * rest of a CI run, in the run's consumer groups, taking orders from every later test's shop), so
 * the next file to start a shop ends the earlier files' first, and the run's end ends the rest.
 */
const live = new Map<Subprocess, string>();

export async function endLeftoverShops(file?: string): Promise<void> {
  const leftovers = [...live].filter(([, startedBy]) => startedBy !== file);
  for (const [proc, startedBy] of leftovers) {
    console.error(`a shop started by ${startedBy} was still running: killed (pid ${proc.pid})`);
    proc.kill("SIGKILL");
  }
  await Promise.all(leftovers.map(([proc]) => proc.exited));
}

async function waitUntilReady(url: string, proc: Subprocess, logFile: string, timeoutMs: number, probe: string) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`shop exited with ${proc.exitCode}; log: ${logFile}\n${await Bun.file(logFile).text()}`);
    const ready = await fetch(`${url}${probe}`).then((r) => r.ok, () => false);
    if (ready) return;
    await Bun.sleep(100);
  }
  throw new Error(`shop not ready within ${timeoutMs} ms; log: ${logFile}\n${(await Bun.file(logFile).text()).slice(-4000)}`);
}

/**
 * Runs the compiled binary as a child process on a free port and waits until /readyz answers 200
 * (or only /healthz, for a restart that should not wait for its consumers to join). Its rate limits
 * are off unless `env` says otherwise: most tests place orders by the thousand from 127.0.0.1.
 */
export async function startShop(env: Record<string, string> = {}, name = "shop", probe: "/readyz" | "/healthz" = "/readyz"): Promise<RunningShop> {
  await endLeftoverShops(Bun.main);
  mkdirSync(LOGS, { recursive: true });
  const port = env.PORT ? Number(env.PORT) : (await freePorts(1))[0]!;
  const logFile = join(LOGS, `${name}-${port}-${Date.now()}.log`);
  const proc = Bun.spawn([BINARY], {
    cwd: "/",
    env: { ...process.env, LOG_LEVEL: "info", RATE_LIMITS: "off", ...env, PORT: String(port) },
    stdout: Bun.file(logFile),
    stderr: Bun.file(logFile + ".err"),
  });
  live.set(proc, Bun.main);
  void proc.exited.then(() => live.delete(proc));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(url, proc, logFile, 90_000, probe);
  } catch (error) {
    proc.kill("SIGKILL");
    throw error;
  }
  return {
    url, port, proc, logFile,
    async stop() {
      proc.kill("SIGTERM");
      return proc.exited;
    },
    async kill() {
      proc.kill("SIGKILL");
      await proc.exited;
    },
  };
}

/**
 * For a test's failure message: what the shop's /readyz answers (a stalled consumer is named
 * there) and its last warnings and errors, since a CI run keeps nothing but its output.
 */
export async function whatItSays(shop: RunningShop, lines = 15): Promise<string> {
  const ready = await fetch(`${shop.url}/readyz`, { signal: AbortSignal.timeout(5_000) })
    .then(async (r) => `${r.status} ${await r.text()}`, (e) => `no answer (${e})`);
  const log = (await Bun.file(shop.logFile).text().catch(() => "")).split("\n")
    .filter((line) => /"level":"(warn|error|fatal)"/.test(line)).slice(-lines);
  return [`${shop.logFile}: /readyz ${ready}`, ...log].join("\n");
}
