import { join } from "node:path";
import { stopKafka } from "../../scripts/infra/kafka.ts";
import { stopPostgres } from "../../scripts/infra/postgres.ts";
import { readStarted, type ServiceName } from "../../scripts/infra/state.ts";
import { kafkaTarget } from "../../scripts/infra/targets.ts";

const ROOT = join(import.meta.dir, "..", "..");

/**
 * Whether this run may stop and start `service`: only one that `infra:up` started (natively or with
 * Compose) is ours to restart; a server someone else runs is left alone.
 */
export function restartable(service: ServiceName): boolean {
  return readStarted()[service] !== undefined;
}

export async function stopService(service: ServiceName): Promise<void> {
  const entry = readStarted()[service];
  if (!entry) throw new Error(`${service} was not started by infra:up`);
  if (entry.by === "docker") {
    const r = Bun.spawnSync(["docker", "compose", "stop", service], { cwd: ROOT });
    if (r.exitCode !== 0) throw new Error(`docker compose stop ${service}: ${r.stderr}`);
  } else if (service === "kafka") {
    await stopKafka(kafkaTarget(entry.address), entry.brokers ?? 1);
  } else {
    await stopPostgres(entry);
  }
}

/** Brings the service back the way CI and the README do, and waits until it answers. */
export async function startService(): Promise<void> {
  const up = Bun.spawn(["bun", "scripts/infra.ts", "up"], { cwd: ROOT, env: process.env, stdout: "pipe", stderr: "pipe" });
  if ((await up.exited) !== 0) throw new Error(`infra:up failed: ${await new Response(up.stderr).text()}`);
}
