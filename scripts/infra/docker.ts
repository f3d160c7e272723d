import { resolve } from "node:path";
import { projectRoot, type ServiceName } from "./state.ts";
import { mustRun, run, say } from "./run.ts";
import type { KafkaTarget, PostgresTarget } from "./targets.ts";

const composeFile = resolve(projectRoot, "docker-compose.yml");

let available: Promise<boolean> | undefined;

/** A Docker engine that answers, with the compose plugin: otherwise services start natively. */
export function composeAvailable(): Promise<boolean> {
  available ??= (async () => {
    if (!Bun.which("docker")) return false;
    if ((await run(["docker", "info"], { timeoutMs: 15_000 })).code !== 0) return false;
    return (await run(["docker", "compose", "version"], { timeoutMs: 15_000 })).code === 0;
  })();
  return available;
}

/** docker-compose.yml reads these, so the containers serve the addresses and credentials the app is given. */
function composeEnv(targets: { postgres: PostgresTarget; kafka: KafkaTarget }): Record<string, string> {
  return {
    POSTGRES_PORT: String(targets.postgres.port),
    POSTGRES_USER: targets.postgres.user,
    POSTGRES_PASSWORD: targets.postgres.password,
    POSTGRES_DB: targets.postgres.database,
    KAFKA_PORT: String(targets.kafka.port),
  };
}

export async function composeUp(service: ServiceName, targets: { postgres: PostgresTarget; kafka: KafkaTarget }) {
  say(`starting ${service} with docker compose`);
  await mustRun(["docker", "compose", "-f", composeFile, "up", "--detach", "--wait", service], {
    env: composeEnv(targets),
    timeoutMs: 600_000,
  });
}

export async function composeRemove(service: ServiceName) {
  await mustRun(["docker", "compose", "-f", composeFile, "rm", "--stop", "--force", service], { timeoutMs: 120_000 });
}
