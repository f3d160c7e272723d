import { afterAll, describe, expect, test } from "bun:test";
import { Kafka, logLevel } from "kafkajs";
import postgres from "postgres";
import { classify, KafkaUnacknowledged } from "../../src/failure.ts";
import { DATABASE_URL, sql } from "../support/db.ts";
import { freePorts } from "../../scripts/ports.ts";
import { kafka } from "../support/kafka.ts";

/** The error a promise rejects with; the test fails if it resolves. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("classify: errors raised by postgres.js", () => {
  const raise = (sqlstate: string) => sql.unsafe(`DO $$ BEGIN RAISE EXCEPTION 'raised' USING ERRCODE = '${sqlstate}'; END $$`);

  test("a server nobody listens on is unavailable, so transient", async () => {
    const url = new URL(DATABASE_URL);
    url.port = String((await freePorts(1))[0]);
    const nowhere = postgres(url.href, { max: 1, connect_timeout: 2, onnotice: () => {} });
    const error = await failure(nowhere`SELECT 1`);
    await nowhere.end({ timeout: 0 });
    expect(classify(error)).toMatchObject({ class: "postgres_unavailable", transient: true });
  });

  test("a connection the server terminates (57P01) is transient", async () => {
    const own = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
    const error = await failure(own`SELECT pg_terminate_backend(pg_backend_pid())`);
    await own.end({ timeout: 0 });
    expect(classify(error)).toMatchObject({ class: "postgres_unavailable", transient: true });
  });

  test("serialization failures and deadlocks are transient", async () => {
    expect(classify(await failure(raise("40001")))).toMatchObject({ class: "postgres_conflict", transient: true });
    expect(classify(await failure(raise("40P01")))).toMatchObject({ class: "postgres_conflict", transient: true });
    expect(classify(await failure(raise("53300")))).toMatchObject({ class: "postgres_unavailable", transient: true });
  });

  test("bad SQL, a unique violation, a NUL byte and division by zero are permanent", async () => {
    expect(classify(await failure(sql.unsafe("SELEC 1")))).toMatchObject({ class: "postgres_error", transient: false });
    const table = `failure_test_${crypto.randomUUID().replaceAll("-", "")}`;
    await sql.unsafe(`CREATE TABLE ${table} (id int PRIMARY KEY)`);
    try {
      await sql.unsafe(`INSERT INTO ${table} VALUES (1)`);
      expect(classify(await failure(sql.unsafe(`INSERT INTO ${table} VALUES (1)`)))).toMatchObject({ class: "postgres_integrity", transient: false });
    } finally {
      await sql.unsafe(`DROP TABLE ${table}`);
    }
    expect(classify(await failure(sql`SELECT ${"nul\u0000byte"}::text`))).toMatchObject({ class: "postgres_data", transient: false });
    expect(classify(await failure(sql`SELECT 1 / 0`))).toMatchObject({ class: "postgres_data", transient: false });
    // The server going away is transient only by its SQLSTATE: another 57 (query canceled) is not.
    expect(classify(await failure(raise("57014")))).toMatchObject({ class: "postgres_error", transient: false });
  });
});

describe("classify: errors raised by kafkajs", () => {
  const clients: { disconnect(): Promise<void> }[] = [];
  afterAll(async () => { await Promise.all(clients.map((c) => c.disconnect().catch(() => {}))); });

  test("a broker nobody listens on is unavailable, so transient, once kafkajs gives up retrying too", async () => {
    const nowhere = new Kafka({ clientId: "failure-test", brokers: [`127.0.0.1:${(await freePorts(1))[0]}`], logLevel: logLevel.NOTHING, retry: { retries: 1, initialRetryTime: 50 } });
    const producer = nowhere.producer();
    clients.push(producer);
    const error = await failure(producer.connect());
    expect((error as Error).name).toBe("KafkaJSNumberOfRetriesExceeded");
    expect(classify(error)).toMatchObject({ class: "kafka_unavailable", transient: true });
    expect(classify((error as { cause: unknown }).cause)).toMatchObject({ class: "kafka_unavailable", transient: true });
  });

  test("a record larger than the broker takes is rejected, so permanent", async () => {
    const topic = `${process.env.KAFKA_TOPIC_PREFIX ?? ""}too-large-${crypto.randomUUID()}`;
    const admin = kafka.admin();
    const producer = kafka.producer({ retry: { retries: 2 } });
    clients.push(admin, producer);
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, configEntries: [{ name: "max.message.bytes", value: "1024" }] }] });
    try {
      await producer.connect();
      const error = await failure(producer.send({ topic, messages: [{ key: "k", value: Buffer.alloc(4096, 1) }] }));
      expect(classify(error)).toMatchObject({ class: "kafka_rejected", transient: false });
    } finally {
      await admin.deleteTopics({ topics: [topic] });
    }
  });
});

describe("classify: everything else", () => {
  test("is permanent: a RangeError from an impossible date, a TypeError, a thrown string", () => {
    let rangeError: unknown;
    try { new Date(Date.parse("2026-01-01T00:00:00+05")).toISOString(); } catch (e) { rangeError = e; }
    expect(classify(rangeError)).toMatchObject({ class: "internal", transient: false });
    expect(classify(new TypeError("x is undefined"))).toMatchObject({ class: "internal", transient: false });
    expect(classify("a string")).toMatchObject({ class: "internal", transient: false, message: "a string" });
  });

  test("our own verdicts keep their class", () => {
    expect(classify(new KafkaUnacknowledged("not sent"))).toMatchObject({ class: "kafka_unavailable", transient: true });
  });
});
