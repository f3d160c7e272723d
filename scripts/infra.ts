/**
 * PostgreSQL and Kafka for development, tests and CI: `bun scripts/infra.ts up|down|status`.
 *
 * `up` reuses whatever already answers at DATABASE_URL and KAFKA_BROKERS; otherwise it starts the
 * service with docker compose when a Docker engine runs, or natively under .infra/ when none does.
 * `down` stops only what `up` started, as recorded in .infra/started.json.
 */
import { composeAvailable, composeRemove, composeUp } from "./infra/docker.ts";
import { brokerPid, startKafka, stopKafka } from "./infra/kafka.ts";
import { postmasterPid, startPostgres, stopPostgres } from "./infra/postgres.ts";
import { ensureDatabase, probeKafka, probePostgres, type Probe } from "./infra/probe.ts";
import { InfraError, say } from "./infra/run.ts";
import { readStarted, recordStarted, shown, type ServiceName, type Started } from "./infra/state.ts";
import { readTargets } from "./infra/targets.ts";

type Native = Extract<Started, { by: "native" }>;

type Service = {
  name: ServiceName;
  title: string;
  address: string;
  probe(): Promise<Probe>;
  /** What the app needs beyond a server that answers. */
  prepare(): Promise<void>;
  startDocker(): Promise<void>;
  startNative(): Promise<Native>;
  stopNative(entry: Native): Promise<void>;
  nativePid(entry: Native): Promise<number | undefined>;
};

function services(): Service[] {
  const targets = readTargets(process.env);
  return [
    {
      name: "postgres",
      title: "PostgreSQL",
      address: targets.postgres.address,
      probe: () => probePostgres(targets.postgres),
      prepare: async () => {
        if ((await ensureDatabase(targets.postgres)) === "created") say(`created database ${targets.postgres.database}`);
      },
      startDocker: () => composeUp("postgres", targets),
      startNative: () => startPostgres(targets.postgres),
      stopNative: (entry) => stopPostgres(entry),
      nativePid: (entry) => postmasterPid(entry.dataDir),
    },
    {
      name: "kafka",
      title: "Kafka",
      address: targets.kafka.address,
      probe: () => probeKafka(targets.kafka),
      prepare: async () => {},
      startDocker: () => composeUp("kafka", targets),
      startNative: () => startKafka(targets.kafka),
      stopNative: () => stopKafka(),
      nativePid: () => brokerPid(),
    },
  ];
}

/** Undefined when `up` started nothing for this service. */
async function managedBy(service: Service): Promise<string | undefined> {
  const entry = readStarted()[service.name];
  if (!entry) return undefined;
  if (entry.by === "docker") return "docker compose";
  const pid = await service.nativePid(entry);
  const elsewhere = entry.address === service.address ? "" : ` at ${entry.address}`;
  return `native${elsewhere}, ${pid ? `pid ${pid}` : "not running"}, data in ${shown(entry.dataDir)}`;
}

async function up(service: Service) {
  const found = await service.probe();
  if (found.state === "refuses") {
    throw new InfraError(`${service.title} at ${service.address} cannot be used: ${found.why}`);
  }
  if (found.state === "answers") {
    await service.prepare();
    say(`${service.title} at ${service.address} answers; reusing it (${(await managedBy(service)) ?? "external"})`);
    return;
  }
  if (await composeAvailable()) {
    await service.startDocker();
    recordStarted(service.name, { by: "docker" });
  } else {
    recordStarted(service.name, await service.startNative());
  }
  await service.prepare();
  say(`${service.title} at ${service.address} is up (${await managedBy(service)})`);
}

async function down(service: Service) {
  const entry = readStarted()[service.name];
  if (!entry) {
    say(`${service.title}: not started by infra:up; left alone`);
    return;
  }
  if (entry.by === "docker") await composeRemove(service.name);
  else await service.stopNative(entry);
  recordStarted(service.name, undefined);
  say(`${service.title}: stopped (${entry.by === "docker" ? "docker compose" : `native at ${entry.address}`})`);
}

async function status(service: Service) {
  const found = await service.probe();
  const reachable = { answers: "reachable", absent: "not reachable", refuses: "not answering" }[found.state];
  const manager = (await managedBy(service)) ?? (found.state === "answers" ? "external" : undefined);
  const why = found.state === "refuses" ? `: ${found.why}` : "";
  say(`${service.title} at ${service.address}: ${reachable}${manager ? ` (${manager})` : ""}${why}`);
}

async function main(command: string | undefined): Promise<number> {
  if (command !== "up" && command !== "down" && command !== "status") {
    console.error("usage: bun scripts/infra.ts up|down|status");
    return 2;
  }
  const failures: unknown[] = [];
  const attempt = (work: Promise<void>) => work.catch((error: unknown) => void failures.push(error));
  if (command === "up") {
    // Side by side: a native Kafka takes longest to start, and PostgreSQL's start hides behind it.
    await Promise.all(services().map((service) => attempt(up(service))));
  } else {
    for (const service of services()) await attempt((command === "down" ? down : status)(service));
  }
  for (const failure of failures) console.error(failure instanceof InfraError ? `infra: ${failure.message}` : failure);
  return failures.length ? 1 : 0;
}

try {
  process.exit(await main(Bun.argv[2]));
} catch (error) {
  console.error(error instanceof InfraError ? `infra: ${error.message}` : error);
  process.exit(1);
}
