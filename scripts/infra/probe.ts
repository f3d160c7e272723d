import { createConnection } from "node:net";
import { Kafka, logLevel } from "kafkajs";
import postgres from "postgres";
import { InfraError } from "./run.ts";
import type { KafkaTarget, PostgresTarget } from "./targets.ts";

/**
 * What an address holds: nothing (so `up` may start the service there), the service
 * answering, or something that holds the port but does not answer as the service.
 */
export type Probe = { state: "absent" } | { state: "answers" } | { state: "refuses"; why: string };

export function listening(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: host.replace(/^\[|\]$/g, ""), port });
    const settle = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => settle(false));
    socket.once("connect", () => settle(true));
    socket.once("error", () => settle(false));
  });
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: Timer | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/** A connection to the server's maintenance database: the target database may not exist yet. */
function maintenance(db: PostgresTarget) {
  return postgres(db.url, { database: "postgres", max: 1, connect_timeout: 5, onnotice: () => {} });
}

export async function probePostgres(db: PostgresTarget): Promise<Probe> {
  if (!(await listening(db.host, db.port))) return { state: "absent" };
  const sql = maintenance(db);
  try {
    await withTimeout(sql`select 1`, 8_000, "PostgreSQL connection");
    return { state: "answers" };
  } catch (error) {
    return { state: "refuses", why: (error as Error).message };
  } finally {
    await sql.end({ timeout: 1 });
  }
}

export async function ensureDatabase(db: PostgresTarget): Promise<"created" | "present"> {
  const sql = maintenance(db);
  try {
    const [row] = await sql`select 1 from pg_database where datname = ${db.database}`;
    if (row) return "present";
    await sql`create database ${sql(db.database)}`;
    return "created";
  } catch (error) {
    // duplicate_database: a concurrent `up` (another worktree, another test run) won the race.
    if ((error as { code?: string }).code === "42P04") return "present";
    throw new InfraError(`PostgreSQL at ${db.address}: could not ensure database ${db.database}: ${(error as Error).message}`);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** Drops the database if it exists, so that what runs next starts from an empty one. */
export async function dropDatabase(db: PostgresTarget): Promise<void> {
  const sql = maintenance(db);
  try {
    await sql`drop database if exists ${sql(db.database)} with (force)`;
  } catch (error) {
    throw new InfraError(`PostgreSQL at ${db.address}: could not drop database ${db.database}: ${(error as Error).message}`);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

// kafkajs 2.2.4 arms a timer with a negative delay whenever nothing is throttled (tulios/kafkajs#1751):
// harmless, but Bun would print a warning among the infra lines. Other warnings still print.
const printWarning = process.listeners("warning");
process.removeAllListeners("warning");
process.on("warning", (warning) => {
  if (warning.name !== "TimeoutNegativeWarning") for (const print of printWarning) print(warning);
});

function kafkaAdmin(brokers: string[]) {
  return new Kafka({
    clientId: "shop-infra",
    brokers,
    connectionTimeout: 2_000,
    requestTimeout: 5_000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
}

async function withAdmin<T>(brokers: string[], work: (admin: ReturnType<typeof kafkaAdmin>) => Promise<T>): Promise<T> {
  const admin = kafkaAdmin(brokers);
  try {
    await admin.connect();
    return await work(admin);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

export async function probeKafka(kafka: KafkaTarget): Promise<Probe> {
  if (!(await listening(kafka.host, kafka.port))) return { state: "absent" };
  try {
    await withTimeout(withAdmin(kafka.brokers, (admin) => admin.describeCluster()), 8_000, "Kafka describeCluster");
    return { state: "answers" };
  } catch (error) {
    return { state: "refuses", why: (error as Error).message };
  }
}

/** How many brokers the cluster at `kafka` has registered and not fenced; undefined when it does not answer. */
export async function kafkaBrokerCount(kafka: KafkaTarget): Promise<number | undefined> {
  try {
    return await withTimeout(withAdmin(kafka.brokers, async (admin) => (await admin.describeCluster()).brokers.length), 8_000, "Kafka describeCluster");
  } catch {
    return undefined;
  }
}

/**
 * A broker answers metadata requests before its controller can create topics; the app
 * creates its topics at start, so a broker counts as up only once this works too.
 */
export async function kafkaCreatesTopics(kafka: KafkaTarget): Promise<boolean> {
  const topic = `shop-infra-probe-${crypto.randomUUID()}`;
  try {
    await withTimeout(
      withAdmin(kafka.brokers, async (admin) => {
        await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true, timeout: 10_000 });
        await admin.deleteTopics({ topics: [topic], timeout: 10_000 });
      }),
      25_000,
      "Kafka topic round trip",
    );
    return true;
  } catch {
    return false;
  }
}
