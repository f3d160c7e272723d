import { existsSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { InfraError, lastLines, run, say } from "./run.ts";

/** Go on PATH, or where the official archive unpacks it. */
function go(why: string): string {
  const found = Bun.which("go") ?? (existsSync("/usr/local/go/bin/go") ? "/usr/local/go/bin/go" : null);
  if (!found) throw new InfraError(`go not found, needed to build ${why}: apt-get install -y golang-go (scripts/test.sh does it)`);
  return found;
}

const building = new Map<string, Promise<string>>();

/**
 * `command` of a Go module built from the Go module proxy into `home` (`.infra/<tool>/<version>/`),
 * once per machine: into a folder of its own first and renamed when done, so a build cut short is
 * never taken for a finished one. Asked twice in one process, it builds once.
 */
export function goInstall({ name, module, version, home, command, minutes }: { name: string; module: string; version: string; home: string; command: string; minutes: string }): Promise<string> {
  const binary = join(home, command);
  if (existsSync(binary)) return Promise.resolve(binary);
  const key = `${module}@${version}`;
  let pending = building.get(key);
  if (!pending) {
    pending = (async () => {
      say(`building ${name} ${version} with go install into ${home}: once per machine, ${minutes}`);
      const partial = `${home}.partial`;
      await rm(partial, { recursive: true, force: true });
      const built = await run([go(name), "install", key], { env: { GOBIN: partial }, timeoutMs: 900_000 });
      if (built.code !== 0) throw new InfraError(`go install of ${name} ${version} failed:\n${lastLines(built.stdout + built.stderr)}`);
      await rm(home, { recursive: true, force: true });
      await rename(partial, home);
      return binary;
    })();
    building.set(key, pending);
    pending.catch(() => building.delete(key));
  }
  return pending;
}
