import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { daemonPid, spawnLogged, stopDaemon, untilAnswering } from "./daemon.ts";
import { goInstall } from "./goInstall.ts";
import { listening, type Probe } from "./probe.ts";
import { infraDir, type Started } from "./state.ts";
import { JAEGER } from "./targets.ts";

/** The module that pins Jaeger and everything it is built from (`go get -tool`), and its config. */
export const jaegerModule = resolve(import.meta.dir, "jaeger");
export const jaegerConfig = resolve(jaegerModule, "config.yaml");

/** The version go.mod pins: one place to change it. v1.75.0 is the release the images call 2.12.0. */
export const JAEGER_VERSION = /^\s*github\.com\/jaegertracing\/jaeger (v\S+)/m.exec(readFileSync(resolve(jaegerModule, "go.mod"), "utf8"))![1]!;
const home = resolve(infraDir, "jaeger", JAEGER_VERSION);
/** infra:up's Jaeger keeps its log and pid here; its traces live in its memory only. */
const dataDir = resolve(infraDir, "jaeger", "data");
const pidFile = resolve(dataDir, "pid");
const STARTUP_LIMIT_MS = 15_000;

/**
 * Jaeger built from the Go module proxy into .infra/jaeger/<version>/, once per machine: 7 min on two
 * cores from an empty Go cache, 7 s (a link) when the cache holds a build of the same modules.
 */
export const ensureJaeger = () => goInstall({
  name: "Jaeger", module: "github.com/jaegertracing/jaeger/cmd/jaeger", version: JAEGER_VERSION, home, command: "jaeger", minutes: "7 minutes from an empty Go cache", pinnedIn: jaegerModule,
});

/** Jaeger answers when its query API does and its OTLP/HTTP port takes connections. */
export async function probeJaeger(): Promise<Probe> {
  if (!(await listening(JAEGER.host, JAEGER.queryPort))) return { state: "absent" };
  const services = await fetch(`${JAEGER.queryUrl}/api/services`, { signal: AbortSignal.timeout(5_000) })
    .then(async (response) => (response.ok ? ((await response.json()) as { data?: unknown }) : undefined), () => undefined);
  if (!services || !("data" in services)) return { state: "refuses", why: "GET /api/services does not answer as Jaeger's query API" };
  if (!(await listening(JAEGER.host, JAEGER.otlpHttpPort))) return { state: "refuses", why: `nothing takes OTLP/HTTP on ${JAEGER.otlpHttpPort}` };
  return { state: "answers" };
}

type NativeJaeger = Extract<Started, { by: "native" }>;

/** infra:up's Jaeger, in a session of its own so it outlives infra:up. */
export async function startJaeger(): Promise<NativeJaeger> {
  const binary = await ensureJaeger();
  const log = resolve(dataDir, "jaeger.log");
  const proc = spawnLogged([binary, "--config", jaegerConfig], log, true);
  await untilAnswering(proc, {
    title: "Jaeger", address: JAEGER.address, log, limitMs: STARTUP_LIMIT_MS,
    answers: async () => (await probeJaeger()).state === "answers",
  });
  proc.unref();
  await Bun.write(pidFile, `${proc.pid}\n`);
  return { by: "native", address: JAEGER.address, dataDir };
}

export const jaegerPid = () => daemonPid(pidFile, "jaeger");

export const stopJaeger = () => stopDaemon(pidFile, "jaeger");
