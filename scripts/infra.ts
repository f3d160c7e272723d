/**
 * PostgreSQL, Kafka and Mailpit for development, tests and CI: `bun scripts/infra.ts up|down|status`,
 * `up --brokers 3` for a three-node Kafka cluster on consecutive ports from KAFKA_BROKERS' first,
 * and `up --tracing` for Jaeger too, on its default ports (OTLP 4317/4318, query and web page 16686).
 *
 * `up` reuses whatever already answers at DATABASE_URL, KAFKA_BROKERS and SMTP_URL (Mailpit's
 * 127.0.0.1:1025 when unset); otherwise it starts the service with docker compose when a Docker
 * engine runs, or natively under .infra/ when none does.
 * `down` stops only what `up` started, as recorded in .infra/started.json.
 */
import { parseArgs } from "node:util";
import { composeAvailable, composeRemove, composeUp } from "./infra/docker.ts";
import { jaegerPid, probeJaeger, startJaeger, stopJaeger } from "./infra/jaeger.ts";
import { kafkaPids, startKafka, stopKafka } from "./infra/kafka.ts";
import { mailpitPid, probeSmtp, startMailpit, stopMailpit } from "./infra/mailpit.ts";
import { postmasterPid, startPostgres, stopPostgres } from "./infra/postgres.ts";
import { ensureDatabase, kafkaBrokerCount, probeKafka, probePostgres, type Probe } from "./infra/probe.ts";
import { InfraError, say } from "./infra/run.ts";
import { readStarted, recordStarted, shown, type ServiceName, type Started } from "./infra/state.ts";
import { JAEGER, kafkaTarget, readTargets } from "./infra/targets.ts";

type Native = Extract<Started, { by: "native" }>;

type Service = {
  name: ServiceName;
  title: string;
  address: string;
  probe(): Promise<Probe>;
  /** What the app needs beyond a server that answers. */
  prepare(): Promise<void>;
  /** What `status` adds for a server that answers. */
  describe(): Promise<string | undefined>;
  startDocker(): Promise<void>;
  startNative(): Promise<Native>;
  stopNative(entry: Native): Promise<void>;
  nativePids(entry: Native): Promise<number[]>;
  /** How many copies of the server `up` asked for (Kafka brokers), and how many a started entry has. */
  asked: number;
  copies(entry: Started): number;
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Every service `down` and `status` look at; `up` starts Jaeger only when asked (`tracing`). */
function services(brokers: number, tracing = true): Service[] {
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
      describe: async () => undefined,
      startDocker: () => composeUp("postgres", targets),
      startNative: () => startPostgres(targets.postgres),
      stopNative: (entry) => stopPostgres(entry),
      nativePids: async (entry) => [await postmasterPid(entry.dataDir)].filter((pid) => pid !== undefined),
      asked: 1,
      copies: () => 1,
    },
    {
      name: "kafka",
      title: "Kafka",
      address: targets.kafka.address,
      probe: () => probeKafka(targets.kafka),
      prepare: async () => {
        const count = await kafkaBrokerCount(targets.kafka);
        if (count !== undefined && count < brokers) {
          throw new InfraError(`Kafka at ${targets.kafka.address} answers with ${plural(count, "broker")}, ${brokers} asked: stop it first (infra:down, if infra:up started it) or point KAFKA_BROKERS elsewhere`);
        }
      },
      describe: async () => {
        const count = await kafkaBrokerCount(targets.kafka);
        return count === undefined ? undefined : plural(count, "broker");
      },
      startDocker: () => composeUp("kafka", targets, brokers),
      startNative: () => startKafka(targets.kafka, brokers),
      stopNative: (entry) => stopKafka(kafkaTarget(entry.address), entry.brokers ?? 1),
      nativePids: (entry) => kafkaPids(kafkaTarget(entry.address), entry.brokers ?? 1),
      asked: brokers,
      copies: (entry) => entry.brokers ?? 1,
    },
    {
      name: "mailpit",
      title: "SMTP (Mailpit)",
      address: targets.smtp.address,
      probe: () => probeSmtp(targets.smtp),
      prepare: async () => {},
      describe: async () => (await fetch(`${targets.smtp.web.url}/api/v1/info`).then((r) => r.ok, () => false) ? `mail at ${targets.smtp.web.url}` : undefined),
      startDocker: () => composeUp("mailpit", targets),
      startNative: () => startMailpit(targets.smtp),
      stopNative: () => stopMailpit(),
      nativePids: async () => [await mailpitPid()].filter((pid) => pid !== undefined),
      asked: 1,
      copies: () => 1,
    },
    ...(tracing ? [{
      name: "jaeger",
      title: "Jaeger",
      address: JAEGER.address,
      probe: probeJaeger,
      prepare: async () => {},
      describe: async () => `OTLP on ${JAEGER.otlpGrpcPort} and ${JAEGER.otlpHttpPort}, traces at ${JAEGER.queryUrl}`,
      startDocker: () => composeUp("jaeger", targets),
      startNative: startJaeger,
      stopNative: () => stopJaeger(),
      nativePids: async () => [await jaegerPid()].filter((pid) => pid !== undefined),
      asked: 1,
      copies: () => 1,
    } satisfies Service] : []),
  ];
}

/** Undefined when `up` started nothing for this service. */
async function managedBy(service: Service): Promise<string | undefined> {
  const entry = readStarted()[service.name];
  if (!entry) return undefined;
  const count = service.copies(entry);
  const nodes = count > 1 ? `, ${count} nodes` : "";
  if (entry.by === "docker") return `docker compose${nodes}`;
  const pids = await service.nativePids(entry);
  const elsewhere = entry.address === service.address ? "" : ` at ${entry.address}`;
  const running = pids.length === 0 ? "not running" : `${pids.length < count ? `${pids.length} of ${count} running, ` : ""}pid${pids.length > 1 ? "s" : ""} ${pids.join(", ")}`;
  return `native${elsewhere}${nodes}, ${running}, data in ${shown(entry.dataDir)}`;
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
    recordStarted(service.name, { by: "docker", ...(service.asked > 1 ? { brokers: service.asked } : {}) });
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
  if (entry.by === "docker") await composeRemove(service.name, service.copies(entry));
  else await service.stopNative(entry);
  recordStarted(service.name, undefined);
  say(`${service.title}: stopped (${entry.by === "docker" ? "docker compose" : `native at ${entry.address}`})`);
}

async function status(service: Service) {
  const found = await service.probe();
  const reachable = { answers: "reachable", absent: "not reachable", refuses: "not answering" }[found.state];
  const manager = (await managedBy(service)) ?? (found.state === "answers" ? "external" : undefined);
  const detail = found.state === "answers" ? await service.describe() : undefined;
  const why = found.state === "refuses" ? `: ${found.why}` : "";
  say(`${service.title} at ${service.address}: ${reachable}${detail ? `, ${detail}` : ""}${manager ? ` (${manager})` : ""}${why}`);
}

const USAGE = "usage: bun scripts/infra.ts up [--brokers 1|3] [--tracing] | down | status";

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { brokers: { type: "string" }, tracing: { type: "boolean" } }, allowPositionals: true, strict: true });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [command, ...rest] = parsed.positionals;
  const brokers = Number(parsed.values.brokers ?? "1");
  if ((command !== "up" && command !== "down" && command !== "status") || rest.length > 0 || !Number.isInteger(brokers) || brokers < 1 || brokers > 9) {
    console.error(USAGE);
    return 2;
  }
  const failures: unknown[] = [];
  const attempt = (work: Promise<void>) => work.catch((error: unknown) => void failures.push(error));
  if (command === "up") {
    // Side by side: a native Kafka takes longest to start, and PostgreSQL's start hides behind it.
    await Promise.all(services(brokers, parsed.values.tracing ?? false).map((service) => attempt(up(service))));
  } else {
    for (const service of services(brokers)) await attempt((command === "down" ? down : status)(service));
  }
  for (const failure of failures) console.error(failure instanceof InfraError ? `infra: ${failure.message}` : failure);
  return failures.length ? 1 : 0;
}

try {
  process.exit(await main(Bun.argv.slice(2)));
} catch (error) {
  console.error(error instanceof InfraError ? `infra: ${error.message}` : error);
  process.exit(1);
}
