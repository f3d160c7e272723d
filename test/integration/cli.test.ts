import { describe, expect, test } from "bun:test";
import { BINARY } from "../support/shop.ts";

const run = (args: string[], env: Record<string, string> = {}) => {
  const r = Bun.spawnSync([BINARY, ...args], { cwd: "/", env: { ...process.env, ...env } });
  return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
};

describe("the binary's command line", () => {
  test("--help describes every setting and exits 0, from any directory", () => {
    const { code, out } = run(["--help"]);
    expect(code).toBe(0);
    for (const name of ["PORT", "DATABASE_URL", "KAFKA_BROKERS", "ROLES", "LOG_LEVEL", "ADMIN_TOKEN"]) expect(out).toContain(name);
  });

  test("--version prints the version", () => {
    const { code, out } = run(["--version"]);
    expect(code).toBe(0);
    expect(out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test.each([
    [{ PORT: "eighty" }, [], "PORT"],
    [{ ROLES: "api,chef" }, [], "ROLES"],
    [{}, ["--kafka-brokers", "nohost"], "KAFKA_BROKERS"],
    [{ LOG_LEVEL: "chatty" }, [], "LOG_LEVEL"],
  ])("a bad setting stops it at start with one line naming the variable (%j %j)", (env, args, name) => {
    const { code, err, out } = run(args, env);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err.trim().split("\n")).toHaveLength(1);
    expect(err).toStartWith(`shop: ${name}: expected`);
  });

  test("migrate applies the migrations and exits 0", () => {
    expect(run(["migrate"], { LOG_LEVEL: "error" }).code).toBe(0);
  });
});
