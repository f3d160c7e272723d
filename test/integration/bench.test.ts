import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { startShop, type RunningShop } from "../support/shop.ts";

const ROOT = join(import.meta.dir, "..", "..");
let shop: RunningShop;
beforeAll(async () => { shop = await startShop({}, "bench-smoke"); }, 120_000);
afterAll(async () => { expect(await shop?.stop()).toBe(0); });

describe("bun run bench", () => {
  // Keeps the benchmark working; it measures, and nothing here asserts a timing.
  test("--smoke drives a running shop end to end and confirms orders", async () => {
    const bench = Bun.spawn(["bun", "scripts/bench.ts", "--smoke", "--url", shop.url], { cwd: ROOT, env: process.env, stdout: "pipe", stderr: "pipe" });
    const [code, out, err] = await Promise.all([bench.exited, new Response(bench.stdout).text(), new Response(bench.stderr).text()]);
    expect({ code, err: code === 0 ? "" : err + out }).toEqual({ code: 0, err: "" });
    expect(out).toContain("bench summary");
    expect(out).toMatch(/every figure is in .*\.artifacts\/bench\/.*-smoke\.json/);
  }, 120_000);

  test("refuses a shop that limits rates: from one address it would measure the limiter", async () => {
    const limited = await startShop({ RATE_LIMITS: "on", ROLES: "api" }, "bench-limited");
    try {
      const bench = Bun.spawnSync(["bun", "scripts/bench.ts", "--smoke", "--url", limited.url], { cwd: ROOT, env: process.env });
      expect(bench.exitCode).toBe(1);
      expect(bench.stdout.toString() + bench.stderr.toString()).toContain("start it with RATE_LIMITS=off");
    } finally {
      expect(await limited.stop()).toBe(0);
    }
  }, 120_000);

  test("says so, and fails, when no shop answers", async () => {
    const bench = Bun.spawnSync(["bun", "scripts/bench.ts", "--smoke", "--url", "http://127.0.0.1:9"], { cwd: ROOT, env: process.env });
    expect(bench.exitCode).toBe(1);
    expect(bench.stdout.toString() + bench.stderr.toString()).toMatch(/no shop answers|starts none/i);
  }, 30_000);
});
