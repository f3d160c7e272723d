import { resolve } from "node:path";
import { projectRoot, type ServiceName } from "./state.ts";
import { InfraError, mustRun, run, say } from "./run.ts";
import type { KafkaTarget, PostgresTarget, SmtpTarget } from "./targets.ts";

const composeFile = resolve(projectRoot, "docker-compose.yml");

type Targets = { postgres: PostgresTarget; kafka: KafkaTarget; smtp: SmtpTarget };

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
function composeEnv(targets: Targets): Record<string, string> {
  return {
    POSTGRES_PORT: String(targets.postgres.port),
    POSTGRES_USER: targets.postgres.user,
    POSTGRES_PASSWORD: targets.postgres.password,
    POSTGRES_DB: targets.postgres.database,
    KAFKA_PORT: String(targets.kafka.port),
    // The cluster profile's brokers, on consecutive ports like a native cluster's.
    KAFKA_PORT_1: String(targets.kafka.port),
    KAFKA_PORT_2: String(targets.kafka.port + 1),
    KAFKA_PORT_3: String(targets.kafka.port + 2),
    MAILPIT_SMTP_PORT: String(targets.smtp.port),
    MAILPIT_WEB_PORT: String(targets.smtp.web.port),
  };
}

/**
 * The Compose services of `service`, and the flags that enable them: Kafka as a cluster is the
 * `cluster` profile's three brokers, Jaeger the `tracing` profile's.
 */
function composeServices(service: ServiceName, copies: number): { flags: string[]; names: string[] } {
  if (service === "jaeger") return { flags: ["--profile", "tracing"], names: [service] };
  if (service !== "kafka" || copies === 1) return { flags: [], names: [service] };
  if (copies !== 3) throw new InfraError(`the Compose cluster profile has 3 brokers, ${copies} asked`);
  return { flags: ["--profile", "cluster"], names: ["kafka-1", "kafka-2", "kafka-3"] };
}

export async function composeUp(service: ServiceName, targets: Targets, copies = 1) {
  const { flags, names } = composeServices(service, copies);
  say(`starting ${names.join(", ")} with docker compose`);
  await mustRun(["docker", "compose", "-f", composeFile, ...flags, "up", "--detach", "--wait", ...names], {
    env: composeEnv(targets),
    timeoutMs: 600_000,
  });
}

export async function composeRemove(service: ServiceName, copies = 1) {
  const { flags, names } = composeServices(service, copies);
  await mustRun(["docker", "compose", "-f", composeFile, ...flags, "rm", "--stop", "--force", ...names], { timeoutMs: 120_000 });
}
