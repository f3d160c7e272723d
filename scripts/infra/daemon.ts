import type { Subprocess } from "bun";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { readFile, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { InfraError, isAlive, tail } from "./run.ts";

/** `cmd` with its output appended to `log`; `detached`: in a session of its own, outliving the process that started it. */
export function spawnLogged(cmd: string[], log: string, detached = false): Subprocess {
  mkdirSync(dirname(log), { recursive: true });
  const output = openSync(log, "a");
  try {
    return Bun.spawn(cmd, { stdio: ["ignore", output, output], detached });
  } finally {
    closeSync(output);
  }
}

/**
 * Waits until `answers` holds for a server just spawned; when it exits first or is still not
 * answering after `limitMs`, it is killed and the error carries the end of its log.
 */
export async function untilAnswering(proc: Subprocess, what: { title: string; address: string; log: string; limitMs: number; answers: () => Promise<boolean> }): Promise<void> {
  for (const until = Date.now() + what.limitMs; ;) {
    if (proc.exitCode !== null) throw new InfraError(`${what.title} exited with ${proc.exitCode} while starting\n${await tail(what.log)}`);
    if (await what.answers()) return;
    if (Date.now() > until) {
      proc.kill("SIGKILL");
      throw new InfraError(`${what.title} did not answer at ${what.address} within ${what.limitMs / 1000} s\n${await tail(what.log)}`);
    }
    await Bun.sleep(100);
  }
}

/** The pid in `pidFile`, if that process is still `command` (pids get reused). */
export async function daemonPid(pidFile: string, command: string): Promise<number | undefined> {
  const pid = Number(await Bun.file(pidFile).text().catch(() => ""));
  if (!(pid > 0) || !isAlive(pid)) return undefined;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
  return cmdline.includes(command) ? pid : undefined;
}

/** SIGTERM, SIGKILL after 10 s, then the pid file removed. */
export async function stopDaemon(pidFile: string, command: string): Promise<void> {
  const pid = await daemonPid(pidFile, command);
  if (pid) {
    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + 10_000;
    while (isAlive(pid) && Date.now() < deadline) await Bun.sleep(100);
    if (isAlive(pid)) process.kill(pid, "SIGKILL");
  }
  await unlink(pidFile).catch(() => {});
}
