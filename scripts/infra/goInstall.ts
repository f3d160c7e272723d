import { existsSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { InfraError, lastLines, run, say } from "./run.ts";
import { shown } from "./state.ts";

/** Go on PATH, or where the official archive unpacks it. */
function go(why: string): string {
  const found = Bun.which("go") ?? (existsSync("/usr/local/go/bin/go") ? "/usr/local/go/bin/go" : null);
  if (!found) throw new InfraError(`go not found, needed to build ${why}: apt-get install -y golang-go (scripts/test.sh does it)`);
  return found;
}

const building = new Map<string, Promise<string>>();

export type GoTool = {
  name: string;
  /** The package of the command, `module` below; with `pinnedIn`, the tool that module requires. */
  module: string;
  version: string;
  home: string;
  command: string;
  minutes: string;
  /**
   * A module of ours whose go.mod and go.sum pin the tool and every module it is built from
   * (`go get -tool`): built there with `go build`. Needed when the tool's own go.mod has replace
   * directives, which `go install <module>@<version>` refuses.
   */
  pinnedIn?: string;
};

/**
 * `command` of a Go module built from the Go module proxy into `home` (`.infra/<tool>/<version>/`),
 * once per machine: into a folder of its own first and renamed when done, so a build cut short is
 * never taken for a finished one. Asked twice in one process, it builds once.
 */
export function goInstall({ name, module, version, home, command, minutes, pinnedIn }: GoTool): Promise<string> {
  const binary = join(home, command);
  if (existsSync(binary)) return Promise.resolve(binary);
  const key = `${module}@${version}`;
  let pending = building.get(key);
  if (!pending) {
    pending = (async () => {
      const how = pinnedIn ? `go build in ${shown(pinnedIn)}` : "go install";
      say(`building ${name} ${version} with ${how} into ${shown(home)}: once per machine, ${minutes}`);
      const partial = `${home}.partial`;
      await rm(partial, { recursive: true, force: true });
      const built = pinnedIn
        ? await run([go(name), "build", "-o", join(partial, command), module], { cwd: pinnedIn, timeoutMs: 900_000 })
        : await run([go(name), "install", key], { env: { GOBIN: partial }, timeoutMs: 900_000 });
      if (built.code !== 0) throw new InfraError(`${how} of ${name} ${version} failed:\n${lastLines(built.stdout + built.stderr)}`);
      await rm(home, { recursive: true, force: true });
      await rename(partial, home);
      return binary;
    })();
    building.set(key, pending);
    pending.catch(() => building.delete(key));
  }
  return pending;
}
