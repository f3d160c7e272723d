import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";

export const projectRoot = resolve(import.meta.dir, "../..");
export const infraDir = resolve(projectRoot, ".infra");
const startedFile = resolve(infraDir, "started.json");

export type ServiceName = "postgres" | "kafka" | "mailpit" | "jaeger";

/** How `up` started a service, so that `down` stops that and nothing it did not start. */
export type Started =
  | { by: "docker"; brokers?: number }
  | { by: "native"; address: string; dataDir: string; bindir?: string; brokers?: number };

type StartedFile = Partial<Record<ServiceName, Started>>;

// Synchronous on purpose: PostgreSQL and Kafka come up concurrently, and a read-modify-write
// with no await in between cannot interleave with the other service's.
export function readStarted(): StartedFile {
  try {
    return JSON.parse(readFileSync(startedFile, "utf8")) as StartedFile;
  } catch {
    return {};
  }
}

export function recordStarted(service: ServiceName, entry: Started | undefined) {
  const started = readStarted();
  if (entry) started[service] = entry;
  else delete started[service];
  mkdirSync(infraDir, { recursive: true });
  writeFileSync(startedFile, `${JSON.stringify(started, null, 2)}\n`);
}

/** Paths in messages, shortened when they are inside the project. */
export function shown(path: string): string {
  const inside = relative(projectRoot, path);
  return inside.startsWith("..") ? path : inside;
}
