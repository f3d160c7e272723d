import type { Subprocess } from "bun";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { freePorts } from "../ports.ts";

export type BenchShop = { url: string; stop(): Promise<number> };

const READY_TIMEOUT_MS = 90_000;

/**
 * The bench's own shop: `binary` (dist/shop unless told) in the bench's namespace on a free port, with every rate limit off
 * (one address sending thousands of orders is the point of a load test, not abuse). Its log goes to
 * .artifacts/logs, so the bench's output stays the bench's.
 */
export async function startBenchShop(root: string, binary: string, env: Record<string, string>): Promise<BenchShop> {
  const [port] = await freePorts(1);
  const logs = join(root, ".artifacts", "logs");
  mkdirSync(logs, { recursive: true });
  const log = join(logs, `bench-shop-${port}-${Date.now()}.log`);
  const proc: Subprocess = Bun.spawn([binary], {
    env: { ...process.env, LOG_LEVEL: "warn", RATE_LIMITS: "off", ...env, PORT: String(port) },
    stdout: Bun.file(log),
    stderr: Bun.file(`${log}.err`),
  });
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + READY_TIMEOUT_MS;
  while (!(await fetch(`${url}/readyz`).then((r) => r.ok, () => false))) {
    if (proc.exitCode !== null || Date.now() > until) {
      proc.kill("SIGKILL");
      throw new Error(`the bench's shop did not become ready (see ${log})`);
    }
    await Bun.sleep(200);
  }
  return {
    url,
    async stop() {
      proc.kill("SIGTERM");
      return proc.exited;
    },
  };
}
