import { chmod, copyFile, mkdir, rm } from "node:fs/promises";
import { resolve } from "node:path";
import postgres from "postgres";
import { migrate } from "../../src/db/migrate.ts";
import { createLogger } from "../../src/log.ts";
import { asServerUser, postmasterPid, serverBindir, serverRoot } from "../../scripts/infra/postgres.ts";
import { isRoot, mustRun, tail } from "../../scripts/infra/run.ts";
import { freePorts } from "../../scripts/ports.ts";

export type PrivatePostgres = {
  /** postgres://… of the database `shop`, migrated, ready for products and a shop. */
  url: string;
  port: number;
  /** pg_ctl stop --mode fast: clients are disconnected, nothing is lost. */
  stop(): Promise<void>;
  /** Starts it again on the same port, with the same data. */
  start(): Promise<void>;
  /** Stops it if it runs, and deletes its files. */
  remove(): Promise<void>;
};

/**
 * A PostgreSQL server of the test's own, on a free port, with trust authentication: a test may stop
 * and start it while a user's shop keeps running on the shared one. With `tls`, the server presents
 * that certificate and refuses clients that do not encrypt; `url` then asks for sslmode=require.
 */
export async function startPrivatePostgres({ tls }: { tls?: { cert: string; key: string } } = {}): Promise<PrivatePostgres> {
  const bindir = await serverBindir();
  // Beside the native PostgreSQL's own directory: one the postgres user can reach, as root too.
  const dir = resolve(await serverRoot(), "..", "test-postgres", crypto.randomUUID());
  const dataDir = resolve(dir, "data");
  const logFile = resolve(dir, "postgres.log");
  const [port] = await freePorts(1);
  const pgCtl = (...args: string[]) => mustRun(asServerUser([`${bindir}/pg_ctl`, ...args, "--pgdata", dataDir, "--wait", "--timeout", "60"]), { cwd: dir });

  const start = async () => {
    await pgCtl("start", "--log", logFile).catch(async (error) => { throw new Error(`${error.message}\n${await tail(logFile)}`); });
  };
  const stop = async () => {
    if (await postmasterPid(dataDir)) await pgCtl("stop", "--mode", "fast");
  };
  const remove = async () => {
    await stop();
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await mkdir(resolve(dir, "run"), { recursive: true });
    if (isRoot) await mustRun(["chown", "-R", "postgres:", dir]);
    await mustRun(asServerUser([`${bindir}/initdb`, `--pgdata=${dataDir}`, "--username=postgres", "--auth=trust", "--encoding=UTF8", "--locale=C"]), { cwd: dir });
    const owned = ["pg_hba.conf", "postgresql.auto.conf"];
    if (tls) {
      await copyFile(tls.cert, resolve(dataDir, "server.pem"));
      await copyFile(tls.key, resolve(dataDir, "server.key"));
      await chmod(resolve(dataDir, "server.key"), 0o600);
      owned.push("server.pem", "server.key");
    }
    // Over TCP with TLS, a client that does not encrypt is refused, so a working client proves it did.
    await Bun.write(resolve(dataDir, "pg_hba.conf"), tls
      ? "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n"
      : "local all all trust\nhost all all 127.0.0.1/32 trust\n");
    await Bun.write(resolve(dataDir, "postgresql.auto.conf"), [
      "listen_addresses = '127.0.0.1'", `port = ${port}`, `unix_socket_directories = '${resolve(dir, "run")}'`,
      // A few shops and the test's own clients; the machine is shared.
      "max_connections = 60", "shared_buffers = 16MB",
      ...(tls ? ["ssl = on", "ssl_cert_file = 'server.pem'", "ssl_key_file = 'server.key'"] : []), "",
    ].join("\n"));
    if (isRoot) await mustRun(["chown", "postgres:", ...owned.map((f) => resolve(dataDir, f))]);
    await start();

    const base = `postgres://postgres@127.0.0.1:${port}`;
    const sslmode = tls ? "?sslmode=require" : "";
    const admin = postgres(`${base}/postgres${sslmode}`, { max: 1, onnotice: () => {} });
    await admin`create database shop`.finally(() => admin.end());
    const url = `${base}/shop${sslmode}`;
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    await migrate(sql, createLogger("error", {}, () => {})).finally(() => sql.end());
    return { url, port: port!, stop, start, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
