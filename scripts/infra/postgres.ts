import { appendFile, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { InfraError, isAlive, isRoot, mustRun, run, say, tail } from "./run.ts";
import { infraDir, projectRoot, shown, type Started } from "./state.ts";
import type { PostgresTarget } from "./targets.ts";

/** Included from postgresql.conf and rewritten at every start, so a changed DATABASE_URL port or host takes effect. */
const SETTINGS_FILE = "shop.conf";

type NativePostgres = Extract<Started, { by: "native" }>;

export async function serverBindir(): Promise<string> {
  const candidates: string[] = [];
  if (Bun.which("pg_config")) {
    const configured = await run(["pg_config", "--bindir"]);
    if (configured.code === 0) candidates.push(configured.stdout.trim());
  }
  const versions = await readdir("/usr/lib/postgresql").catch(() => [] as string[]);
  for (const version of versions.filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))) {
    candidates.push(`/usr/lib/postgresql/${version}/bin`);
  }
  const onPath = Bun.which("pg_ctl");
  if (onPath) candidates.push(dirname(onPath));

  for (const bindir of candidates) {
    const present = await Promise.all(["initdb", "pg_ctl", "postgres"].map((tool) => Bun.file(`${bindir}/${tool}`).exists()));
    if (present.every(Boolean)) return bindir;
  }
  throw new InfraError("PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install -y postgresql");
}

/** PostgreSQL refuses to run as root, so as root every server command runs as the postgres user. */
export function asServerUser(cmd: string[]): string[] {
  return isRoot ? ["runuser", "-u", "postgres", "--", ...cmd] : cmd;
}

/**
 * The project's .infra/postgres, unless the postgres user cannot reach it (a clone under /root):
 * then a directory of its own under /var/tmp, named after the project path so clones do not share one.
 */
export async function serverRoot(): Promise<string> {
  const inProject = resolve(infraDir, "postgres");
  if (!isRoot) return inProject;
  if ((await run(["id", "-u", "postgres"])).code !== 0) {
    throw new InfraError("system user postgres not found (PostgreSQL refuses to run as root): apt-get install -y postgresql");
  }
  await mkdir(infraDir, { recursive: true });
  if ((await run(asServerUser(["test", "-x", infraDir]))).code === 0) return inProject;
  const hash = new Bun.CryptoHasher("sha256").update(projectRoot).digest("hex").slice(0, 12);
  const fallback = `/var/tmp/shop-infra-${hash}/postgres`;
  say(`the postgres user cannot reach ${infraDir}; PostgreSQL data goes to ${fallback}`);
  return fallback;
}

export async function postmasterPid(dataDir: string): Promise<number | undefined> {
  const file = Bun.file(resolve(dataDir, "postmaster.pid"));
  if (!(await file.exists())) return undefined;
  const pid = Number((await file.text()).split("\n")[0]);
  return pid > 0 && isAlive(pid) ? pid : undefined;
}

async function initCluster(bindir: string, root: string, dataDir: string, db: PostgresTarget) {
  say(`creating a PostgreSQL cluster in ${shown(dataDir)}`);
  const passwordFile = resolve(root, "initdb-password");
  await writeFile(passwordFile, db.password, { mode: 0o600 });
  try {
    if (isRoot) await mustRun(["chown", "postgres:", passwordFile]);
    await mustRun(
      asServerUser([
        `${bindir}/initdb`,
        `--pgdata=${dataDir}`,
        `--username=${db.user}`,
        `--pwfile=${passwordFile}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        // Sorting in byte order, as C; letters beyond ASCII for lower(), full-text search and pg_trgm.
        "--locale=C",
        "--lc-ctype=C.UTF-8",
      ]),
      { cwd: root },
    );
  } finally {
    await rm(passwordFile, { force: true });
  }
  await appendFile(resolve(dataDir, "postgresql.conf"), `\ninclude_if_exists = '${SETTINGS_FILE}'\n`);
}

async function writeSettings(dataDir: string, socketDir: string, db: PostgresTarget) {
  const file = resolve(dataDir, SETTINGS_FILE);
  await writeFile(
    file,
    [
      "# Rewritten by scripts/infra.ts at every start, from DATABASE_URL: edits here are lost.",
      `listen_addresses = '${db.host.replace(/^\[|\]$/g, "")}'`,
      `port = ${db.port}`,
      `unix_socket_directories = '${socketDir}'`,
      "# The test suites and several app instances share this server.",
      "max_connections = 200",
      "# Durability as shipped: the exactly-once guarantees are tested against a server that really syncs.",
      "fsync = on",
      "synchronous_commit = on",
      "full_page_writes = on",
      "",
    ].join("\n"),
  );
  if (isRoot) await mustRun(["chown", "postgres:", file]);
}

export async function startPostgres(db: PostgresTarget): Promise<NativePostgres> {
  if (!db.password) throw new InfraError("DATABASE_URL has no password: the native PostgreSQL uses password authentication");
  const bindir = await serverBindir();
  const root = await serverRoot();
  const dataDir = resolve(root, "data");
  const socketDir = resolve(root, "run");
  const logFile = resolve(root, "postgres.log");

  await mkdir(socketDir, { recursive: true });
  if (isRoot) await mustRun(["chown", "postgres:", root, socketDir]);
  if (!(await Bun.file(resolve(dataDir, "PG_VERSION")).exists())) await initCluster(bindir, root, dataDir, db);

  const running = await postmasterPid(dataDir);
  if (running) {
    throw new InfraError(`the PostgreSQL in ${shown(dataDir)} (pid ${running}) runs but does not answer at ${db.address}: run infra:down first`);
  }
  await writeSettings(dataDir, socketDir, db);

  say(`starting PostgreSQL on ${db.address} from ${bindir}`);
  const started = await run(asServerUser([`${bindir}/pg_ctl`, "start", "--pgdata", dataDir, "--log", logFile, "--wait", "--timeout", "60"]), {
    cwd: root,
  });
  if (started.code !== 0) throw new InfraError(`PostgreSQL did not start:\n${started.stdout}${started.stderr}${await tail(logFile)}`);
  return { by: "native", address: db.address, dataDir, bindir };
}

export async function stopPostgres(entry: NativePostgres) {
  if (!(await postmasterPid(entry.dataDir))) return;
  const bindir = entry.bindir ?? (await serverBindir());
  await mustRun(asServerUser([`${bindir}/pg_ctl`, "stop", "--pgdata", entry.dataDir, "--mode", "fast", "--wait", "--timeout", "60"]), {
    cwd: dirname(entry.dataDir),
  });
}
