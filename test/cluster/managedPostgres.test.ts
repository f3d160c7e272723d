import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmod, copyFile, mkdir, rm } from "node:fs/promises";
import { resolve } from "node:path";
import postgres from "postgres";
import { asServerUser, serverBindir, serverRoot } from "../../scripts/infra/postgres.ts";
import { isRoot } from "../../scripts/infra/run.ts";
import { makeCertificates } from "../support/certificates.ts";
import { kafka } from "../support/kafka.ts";
import { readStatusEvents, session } from "../support/http.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

let certs: Awaited<ReturnType<typeof makeCertificates>>;
let dir: string;
let dataDir: string;
let bindir: string;
let port: number;
let shop: RunningShop | undefined;
const prefix = `pgtls${crypto.randomUUID().slice(0, 8)}.`;

function mustRun(cmd: string[]) {
  const run = Bun.spawnSync(cmd, { stdout: "pipe", stderr: "pipe" });
  if (run.exitCode !== 0) throw new Error(`${cmd.join(" ")} failed: ${run.stdout}${run.stderr}`);
}

const url = (sslmode: string, database = "shop") => `postgres://postgres@127.0.0.1:${port}/${database}?sslmode=${sslmode}`;

/** Runs `select 1` over DATABASE_URL as the binary would; the error's message when it cannot. */
async function query(databaseUrl: string): Promise<string> {
  const sql = postgres(databaseUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`select 1`;
    return "ok";
  } catch (error) {
    return (error as Error).message;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

beforeAll(async () => {
  certs = await makeCertificates();
  bindir = await serverBindir();
  // Beside the native PostgreSQL's own directory: one the postgres user can reach, as root too.
  dir = resolve(await serverRoot(), "..", "test-postgres", crypto.randomUUID());
  dataDir = resolve(dir, "data");
  await mkdir(resolve(dir, "run"), { recursive: true });
  if (isRoot) mustRun(["chown", "-R", "postgres:", dir]);
  mustRun(asServerUser([`${bindir}/initdb`, `--pgdata=${dataDir}`, "--username=postgres", "--auth=trust", "--encoding=UTF8", "--locale=C"]));
  for (const [from, to] of [[certs.cert, "server.pem"], [certs.key, "server.key"]] as const) await copyFile(from, resolve(dataDir, to));
  await chmod(resolve(dataDir, "server.key"), 0o600);
  if (isRoot) mustRun(["chown", "postgres:", resolve(dataDir, "server.pem"), resolve(dataDir, "server.key")]);
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  port = probe.port;
  probe.stop(true);
  // Over TCP, TLS or nothing: a client that does not encrypt is refused, so a working shop proves it did.
  await Bun.write(resolve(dataDir, "pg_hba.conf"), "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n");
  await Bun.write(resolve(dataDir, "postgresql.auto.conf"), [
    "listen_addresses = '127.0.0.1'", `port = ${port}`, `unix_socket_directories = '${resolve(dir, "run")}'`,
    "ssl = on", "ssl_cert_file = 'server.pem'", "ssl_key_file = 'server.key'", "max_connections = 40", "shared_buffers = 16MB", "",
  ].join("\n"));
  if (isRoot) mustRun(["chown", "postgres:", resolve(dataDir, "pg_hba.conf"), resolve(dataDir, "postgresql.auto.conf")]);
  mustRun(asServerUser([`${bindir}/pg_ctl`, "start", "--pgdata", dataDir, "--log", resolve(dir, "postgres.log"), "--wait", "--timeout", "60"]));
  const admin = postgres(url("require", "postgres"), { max: 1, onnotice: () => {} });
  await admin`create database shop`;
  await admin.end();
}, 120_000);

afterAll(async () => {
  const code = await shop?.stop();
  if (dataDir) mustRun(asServerUser([`${bindir}/pg_ctl`, "stop", "--pgdata", dataDir, "--mode", "fast", "--wait", "--timeout", "60"]));
  if (dir) await rm(dir, { recursive: true, force: true });
  if (certs) await rm(certs.dir, { recursive: true, force: true });
  const admin = kafka.admin();
  await admin.connect();
  const mine = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
  if (mine.length > 0) await admin.deleteTopics({ topics: mine });
  await admin.disconnect();
  expect(code).toBe(0);
}, 90_000);

describe("PostgreSQL over TLS: DATABASE_URL with sslmode", () => {
  test("sslmode=require encrypts; verify-full checks the certificate against the CAs; a client that does not encrypt is refused", async () => {
    expect(await query(url("require"))).toBe("ok");
    expect(await query(url("disable"))).toMatch(/no encryption|pg_hba/);
    // This process has no NODE_EXTRA_CA_CERTS: the test CA's certificate cannot be verified.
    expect(await query(url("verify-full"))).toMatch(/certificate/i);
  }, 60_000);

  test("the shop binary with sslmode=verify-full and NODE_EXTRA_CA_CERTS migrates, serves, and confirms an order", async () => {
    shop = await startShop({ DATABASE_URL: url("verify-full"), NODE_EXTRA_CA_CERTS: certs.ca, KAFKA_TOPIC_PREFIX: prefix }, "managed-postgres");
    const response = await session(shop.url).postOrder({ customer: { name: "Ada Lovelace", email: "ada@example.com" }, items: [{ productId: "prd_house-espresso", quantity: 1 }] });
    expect(response.status).toBe(202);
    const events = await readStatusEvents(shop.url, (await response.json()).id);
    expect(events.at(-1)?.status).toBe("confirmed");
  }, 120_000);
});

