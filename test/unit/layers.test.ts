import { describe, expect, test } from "bun:test";
import { Glob } from "bun";
import { dirname, join, relative } from "node:path";

/**
 * Dependencies point one way: http and worker use orders, db and kafka; the domain (orders, and
 * catalog beside it) uses nothing else; kafka knows no order; db knows nothing of the operations
 * page. Each layer lists what it may import from src/ (packages are not counted); `*` is anything.
 */
const MAY_USE: Record<string, readonly string[]> = {
  orders: [],
  catalog: ["orders"],
  config: [],
  failure: [],
  log: ["config"],
  waiting: ["log"],
  tracing: [],
  kafka: ["config", "failure", "log", "waiting", "tracing"],
  db: ["orders", "catalog", "log"],
  metrics: ["kafka", "waiting"],
  readiness: ["db", "kafka", "waiting"],
  operations: ["orders", "catalog", "db", "kafka", "failure", "log", "waiting"],
  notifications: ["orders", "failure"],
  worker: ["orders", "catalog", "db", "kafka", "notifications", "failure", "log", "metrics", "waiting", "tracing"],
  http: ["orders", "catalog", "db", "kafka", "operations", "config", "failure", "log", "metrics", "waiting", "tracing", "public", "package.json"],
  assets: [],
  shop: ["*"],
  main: ["*"],
};

const SRC = join(import.meta.dir, "../../src");

/** `src/kafka/chain.ts` is in layer kafka, `src/shop.ts` in shop, `public/api.ts` in public. */
function layerOf(file: string): string {
  const path = relative(SRC, file);
  const parts = (path.startsWith("..") ? relative(join(SRC, ".."), file) : path).split("/");
  return parts.length === 1 ? parts[0]!.replace(/\.(d\.)?tsx?$/, "") : parts[0]!;
}

const IMPORT = /^\s*(?:import|export)\b[^;]*?\bfrom\s+"(\.[^"]+)"|^\s*import\s+"(\.[^"]+)"/gm;

type Source = { file: string; text: string };

async function sources(): Promise<Source[]> {
  const files: Source[] = [];
  for await (const path of new Glob("**/*.{ts,tsx}").scan(SRC)) files.push({ file: join(SRC, path), text: await Bun.file(join(SRC, path)).text() });
  return files.sort((a, b) => a.file.localeCompare(b.file));
}

/** Every import from one layer of src/ into another that its layer may not use. */
function wrongWay(files: Source[]): string[] {
  const wrong: string[] = [];
  for (const { file, text } of files) {
    const from = layerOf(file);
    const allowed = MAY_USE[from];
    for (const match of text.matchAll(IMPORT)) {
      const target = join(dirname(file), match[1] ?? match[2]!);
      const to = layerOf(target);
      if (to === from || allowed?.includes("*") || allowed?.includes(to)) continue;
      wrong.push(`${relative(join(SRC, ".."), file)} (${from}) imports ${relative(join(SRC, ".."), target)} (${to})`);
    }
  }
  return wrong;
}

describe("layers", () => {
  test("every file of src/ is in a layer with rules", async () => {
    const unknown = [...new Set((await sources()).map((s) => layerOf(s.file)))].filter((layer) => !(layer in MAY_USE));
    expect(unknown).toEqual([]);
  });

  test("no import goes against the direction", async () => {
    expect(wrongWay(await sources())).toEqual([]);
  });

  test("the check sees an import against the direction, whatever its form", () => {
    const kafka = [
      'import type { Order } from "../orders/schemas.ts";',
      'export { classify } from "../failure.ts";',
      'import { deadLetterRow } from "../worker/storeDeadLetters.ts";',
      'import { logOnly } from "./middleware/deadLetter.ts";',
    ].join("\n");
    const db = 'import {\n  type DeadLetter,\n  type Overview,\n} from "../../operations/schemas.ts";\nimport "../../metrics.ts";';
    expect(wrongWay([{ file: join(SRC, "kafka/chain.ts"), text: kafka }, { file: join(SRC, "db/stats/deep.ts"), text: db }])).toEqual([
      "src/kafka/chain.ts (kafka) imports src/orders/schemas.ts (orders)",
      "src/kafka/chain.ts (kafka) imports src/worker/storeDeadLetters.ts (worker)",
      "src/db/stats/deep.ts (db) imports src/operations/schemas.ts (operations)",
      "src/db/stats/deep.ts (db) imports src/metrics.ts (metrics)",
    ]);
  });

  test("no module passes on another's names: each is imported from where it is declared", async () => {
    const reexports: string[] = [];
    for (const { file, text } of await sources()) {
      for (const match of text.matchAll(/^export (?:type )?(?:\{[^}]*\}|\*)(?: from "[^"]+")?;/gm)) {
        reexports.push(`${relative(SRC, file)}: ${match[0]}`);
      }
    }
    expect(reexports).toEqual([]);
  });
});
