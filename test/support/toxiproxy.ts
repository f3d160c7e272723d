import type { Subprocess } from "bun";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { goInstall } from "../../scripts/infra/goInstall.ts";
import { infraDir } from "../../scripts/infra/state.ts";
import { freePorts } from "../../scripts/ports.ts";

/** The newest release the Go module proxy serves (v2.5.0 is the oldest the tests were written for). */
export const TOXIPROXY_VERSION = "v2.12.0";
const home = resolve(infraDir, "toxiproxy", TOXIPROXY_VERSION);
const LOGS = resolve(import.meta.dir, "..", "..", ".artifacts", "logs");

/** Builds Toxiproxy's server from the Go module proxy into .infra/toxiproxy/<version>/, once per machine. */
const ensureToxiproxy = () => goInstall({
  name: "Toxiproxy", module: "github.com/Shopify/toxiproxy/v2/cmd/server", version: TOXIPROXY_VERSION, home, command: "server", minutes: "about a minute",
});

export type ToxicType = "latency" | "bandwidth" | "reset_peer" | "timeout" | "slicer";
export type Toxic = { type: ToxicType; attributes: Record<string, number> };

export type Toxiproxy = Awaited<ReturnType<typeof startToxiproxy>>;

/**
 * A Toxiproxy server of the test's own, its API on a free port of 127.0.0.1, logging to
 * .artifacts/logs. Proxies listen on 127.0.0.1 ports the caller picks.
 */
export async function startToxiproxy() {
  const server = await ensureToxiproxy();
  mkdirSync(LOGS, { recursive: true });
  const [port] = await freePorts(1);
  const logFile = join(LOGS, `toxiproxy-${port}-${Date.now()}.log`);
  const proc: Subprocess = Bun.spawn([server, "-host", "127.0.0.1", "-port", String(port)], {
    // One line per connection at info; a load test opens thousands.
    env: { ...process.env, LOG_LEVEL: "warn" },
    stdout: Bun.file(logFile),
    stderr: Bun.file(`${logFile}.err`),
  });
  const api = `http://127.0.0.1:${port}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${api}${path}`, {
      method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`Toxiproxy ${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json().catch(() => undefined);
  };

  for (const until = Date.now() + 10_000; ;) {
    if (proc.exitCode !== null) throw new Error(`toxiproxy exited with ${proc.exitCode}: ${await Bun.file(`${logFile}.err`).text()}`);
    if (await fetch(`${api}/version`).then((r) => r.ok, () => false)) break;
    if (Date.now() > until) {
      proc.kill("SIGKILL");
      throw new Error(`toxiproxy did not answer at ${api} within 10 s`);
    }
    await Bun.sleep(50);
  }

  return {
    api,
    logFile,
    /** A proxy from 127.0.0.1:`listen` to `upstream` (host:port). */
    async proxy(name: string, listen: number, upstream: string) {
      await call("POST", "/proxies", { name, listen: `127.0.0.1:${listen}`, upstream, enabled: true });
    },
    /**
     * `toxic` on both directions of each proxy named, applied to the connections already open as to
     * new ones. Returns how to remove it.
     */
    async poison(proxies: readonly string[], name: string, toxic: Toxic): Promise<() => Promise<void>> {
      const streams = ["upstream", "downstream"] as const;
      for (const proxy of proxies) {
        for (const stream of streams) await call("POST", `/proxies/${proxy}/toxics`, { name: `${name}-${stream}`, stream, toxicity: 1, ...toxic });
      }
      return async () => {
        for (const proxy of proxies) {
          for (const stream of streams) await call("DELETE", `/proxies/${proxy}/toxics/${name}-${stream}`);
        }
      };
    },
    async stop() {
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}
